// SPDX-License-Identifier: GPL-2.0-only
/*
 * Signing policy, modelled on the Windows registry values
 * RequireSecuritySignature / EnableSecuritySignature, and the 3.1.1
 * signing algorithm preference. Every setting is a module parameter that
 * can be changed at run time through /sys/module/smbsign/parameters; a
 * change applies to sessions set up afterwards. Readers take no lock: each
 * setting is one word read with READ_ONCE().
 */
#include <linux/moduleparam.h>
#include <linux/string.h>

#include "key.h"
#include "policy.h"
#include "wire.h"

static bool client_require_signing;
module_param(client_require_signing, bool, 0644);
MODULE_PARM_DESC(client_require_signing,
		 "The local SMB client requires signing on every SMB2+ session, like the Windows client's RequireSecuritySignature (default: N)");

static bool server_require_signing;
module_param(server_require_signing, bool, 0644);
MODULE_PARM_DESC(server_require_signing,
		 "The local SMB server requires signing on every SMB2+ session, like the Windows server's RequireSecuritySignature (default: N)");

/* allow_smb1: turning it on at run time first runs the MD5 self-test. */
static bool allow_smb1;

static int smbsign_allow_smb1_set(const char *val, const struct kernel_param *kp)
{
	bool on;
	int ret;

	ret = kstrtobool(val, &on);
	if (ret)
		return ret;
	/* During module load, init runs the self-test itself. */
	if (on && !READ_ONCE(allow_smb1) &&
	    THIS_MODULE->state == MODULE_STATE_LIVE) {
		ret = smbsign_selftest(&smbsign_md5_backend);
		if (ret)
			return ret;
	}
	WRITE_ONCE(allow_smb1, on);
	return 0;
}

static const struct kernel_param_ops smbsign_allow_smb1_ops = {
	.set = smbsign_allow_smb1_set,
	.get = param_get_bool,
};

module_param_cb(allow_smb1, &smbsign_allow_smb1_ops, &allow_smb1, 0644);
MODULE_PARM_DESC(allow_smb1,
		 "Allow SMB1 MD5 signing keys; legacy and weak, off unless you must talk to an SMB1-only peer (default: N)");

bool smbsign_smb1_allowed(void)
{
	return READ_ONCE(allow_smb1);
}

/*
 * The 3.1.1 preference list, packed in one word (smbsign/wire.h) so
 * readers see a consistent list without a lock.
 */
static u32 smbsign_pref = SMBSIGN_WIRE_PREF(SMBSIGN_ALG_AES_GMAC,
					    SMBSIGN_ALG_AES_CMAC,
					    SMBSIGN_ALG_HMAC_SHA256);

static const struct {
	const char *name;
	const char *alias;
	enum smbsign_alg alg;
} smbsign_alg_names[] = {
	{ "gmac", "aes-gmac", SMBSIGN_ALG_AES_GMAC },
	{ "cmac", "aes-cmac", SMBSIGN_ALG_AES_CMAC },
	{ "hmac", "hmac-sha256", SMBSIGN_ALG_HMAC_SHA256 },
};

static int smbsign_alg_by_name(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(smbsign_alg_names); i++)
		if (!strcmp(name, smbsign_alg_names[i].name) ||
		    !strcmp(name, smbsign_alg_names[i].alias))
			return smbsign_alg_names[i].alg;
	return -EINVAL;
}

/**
 * smbsign_alg_name - short name of an algorithm
 * @alg: algorithm id
 *
 * Context: Any context.
 *
 * Return: "hmac-sha256", "aes-cmac", "aes-gmac", "smb1-md5" or "unknown".
 */
const char *smbsign_alg_name(enum smbsign_alg alg)
{
	const struct smbsign_backend *be = smbsign_backend_of(alg);

	return be ? be->name : "unknown";
}
EXPORT_SYMBOL_NS_GPL(smbsign_alg_name, SMBSIGN_NS);

static const char *smbsign_alg_short(enum smbsign_alg alg)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(smbsign_alg_names); i++)
		if (smbsign_alg_names[i].alg == alg)
			return smbsign_alg_names[i].name;
	return "?";
}

/* "gmac,cmac,hmac": known names, no repeats, at least one. */
static int smbsign_algorithms_set(const char *val, const struct kernel_param *kp)
{
	char buf[64], *s, *tok;
	u32 pref = 0, seen = 0;
	int alg;

	if (strscpy(buf, val, sizeof(buf)) < 0)
		return -EINVAL;
	s = strim(buf);
	while ((tok = strsep(&s, ",")) != NULL) {
		tok = strim(tok);
		alg = smbsign_alg_by_name(tok);
		if (alg < 0 || seen & BIT(alg)) {
			pr_err("smbsign: algorithms: '%s' is %s; use a list of gmac, cmac, hmac\n",
			       tok, alg < 0 ? "unknown" : "repeated");
			return -EINVAL;
		}
		seen |= BIT(alg);	/* no repeats: at most 3 entries */
		pref = smbsign_wire_pref_add(pref, alg);
	}
	WRITE_ONCE(smbsign_pref, pref);
	return 0;
}

static int smbsign_algorithms_get(char *buffer, const struct kernel_param *kp)
{
	u32 pref = READ_ONCE(smbsign_pref);
	unsigned int i;
	int len = 0;

	for (i = 0; i < smbsign_wire_pref_count(pref); i++)
		len += sysfs_emit_at(buffer, len, "%s%s", i ? "," : "",
				     smbsign_alg_short(smbsign_wire_pref_at(pref, i)));
	len += sysfs_emit_at(buffer, len, "\n");
	return len;
}

static const struct kernel_param_ops smbsign_algorithms_ops = {
	.set = smbsign_algorithms_set,
	.get = smbsign_algorithms_get,
};

module_param_cb(algorithms, &smbsign_algorithms_ops, NULL, 0644);
MODULE_PARM_DESC(algorithms,
		 "SMB 3.1.1 signing algorithms in order of preference, offered and accepted in SIGNING_CAPABILITIES; comma-separated from gmac, cmac, hmac (default: gmac,cmac,hmac)");

/**
 * smbsign_policy_smb2 - whether an SMB2/3 session is signed
 * @client_requires: the client requires signing
 * @server_requires: the server requires signing
 *
 * SMB2+ ignores "enabled": a session is signed if either side requires it.
 *
 * Context: Any context.
 *
 * Return: true if the session must be signed.
 */
bool smbsign_policy_smb2(bool client_requires, bool server_requires)
{
	return smbsign_wire_policy_smb2(client_requires, server_requires);
}
EXPORT_SYMBOL_NS_GPL(smbsign_policy_smb2, SMBSIGN_NS);

/**
 * smbsign_policy_smb1 - the SMB1 enable/require negotiation
 * @client_enabled: the client's EnableSecuritySignature
 * @client_requires: the client's RequireSecuritySignature
 * @server_enabled: the server's EnableSecuritySignature
 * @server_requires: the server's RequireSecuritySignature
 *
 * Requiring implies enabling. A side that requires signing while the
 * other has it disabled makes the connection fail; otherwise the session
 * is signed when both sides have it enabled.
 *
 * Context: Any context.
 *
 * Return: the decision.
 */
enum smbsign_smb1_decision smbsign_policy_smb1(bool client_enabled,
					       bool client_requires,
					       bool server_enabled,
					       bool server_requires)
{
	static const enum smbsign_smb1_decision decision[] = {
		SMBSIGN_SMB1_UNSIGNED, SMBSIGN_SMB1_SIGNED, SMBSIGN_SMB1_REFUSE,
	};

	return decision[smbsign_wire_policy_smb1(client_enabled, client_requires,
						 server_enabled, server_requires)];
}
EXPORT_SYMBOL_NS_GPL(smbsign_policy_smb1, SMBSIGN_NS);

/**
 * smbsign_local_requires - whether this host requires signing in a role
 * @role: SMBSIGN_CLIENT (cifs) or SMBSIGN_SERVER (ksmbd)
 * @local_setting: the consumer's own setting (cifs "sign" mount option,
 *	ksmbd.conf "server signing = mandatory")
 *
 * Either the consumer's setting or smbsign's client_require_signing /
 * server_require_signing parameter makes signing required; neither can
 * switch off what the other requires.
 *
 * Context: Any context.
 *
 * Return: true if this side requires signing.
 */
bool smbsign_local_requires(enum smbsign_role role, bool local_setting)
{
	if (role == SMBSIGN_SERVER)
		return local_setting || READ_ONCE(server_require_signing);
	return local_setting || READ_ONCE(client_require_signing);
}
EXPORT_SYMBOL_NS_GPL(smbsign_local_requires, SMBSIGN_NS);

/**
 * smbsign_session_signed - decide whether a new SMB2/3 session is signed
 * @role: the caller's side
 * @local_setting: the consumer's own "require" setting
 * @peer_requires: the peer requires signing (SecurityMode of its
 *	NEGOTIATE or SESSION_SETUP has SIGNING_REQUIRED)
 *
 * Context: Any context.
 *
 * Return: true if the session must be signed.
 */
bool smbsign_session_signed(enum smbsign_role role, bool local_setting,
			    bool peer_requires)
{
	bool local = smbsign_local_requires(role, local_setting);

	if (role == SMBSIGN_SERVER)
		return smbsign_policy_smb2(peer_requires, local);
	return smbsign_policy_smb2(local, peer_requires);
}
EXPORT_SYMBOL_NS_GPL(smbsign_session_signed, SMBSIGN_NS);

/**
 * smbsign_choose_alg - pick the signing algorithm for an SMB 3.1.1 connection
 * @peer_ids: the peer's SIGNING_CAPABILITIES SigningAlgorithms (LE16 ids)
 * @count: SigningAlgorithmCount
 *
 * The first algorithm of the algorithms parameter that the peer lists
 * wins; ids smbsign does not know are skipped.
 *
 * Context: Any context.
 *
 * Return: the chosen SMBSIGN_ALG_* id; -EINVAL for an empty list;
 * -ENOENT if nothing in common (MS-SMB2 then falls back to AES-CMAC).
 */
int smbsign_choose_alg(const __le16 *peer_ids, unsigned int count)
{
	return smbsign_wire_choose(READ_ONCE(smbsign_pref),
				   (const u8 *)peer_ids, count);
}
EXPORT_SYMBOL_NS_GPL(smbsign_choose_alg, SMBSIGN_NS);

/**
 * smbsign_preferred_algs - the list to offer in SIGNING_CAPABILITIES
 * @ids: filled with LE16 algorithm ids, most preferred first
 * @max: room in @ids
 *
 * Context: Any context.
 *
 * Return: the number of ids written (at most SMBSIGN_NR_SMB2_ALGS).
 */
unsigned int smbsign_preferred_algs(__le16 *ids, unsigned int max)
{
	u32 pref = READ_ONCE(smbsign_pref);
	unsigned int i, n = min(max, smbsign_wire_pref_count(pref));

	for (i = 0; i < n; i++)
		ids[i] = cpu_to_le16(smbsign_wire_pref_at(pref, i));
	return n;
}
EXPORT_SYMBOL_NS_GPL(smbsign_preferred_algs, SMBSIGN_NS);
