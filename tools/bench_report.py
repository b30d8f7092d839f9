#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Turn the SMBSIGN-BENCH lines of a `make bench` guest log into tables,
CSV files and a plot. Usage: bench_report.py GUEST_LOG RESULTS_DIR

Every figure comes from QEMU TCG, which emulates the CPU: absolute times
say nothing about real hardware, the ratios between figures of one run do.

smbsign_bench prints every batch of every figure. Within one round the
implementations run one after the other, so a ratio is taken round by
round (paired), and what is reported is the median of those ratios with
their interquartile range; a target is met when the median meets it.
"""
import csv
import os
import re
import statistics
import subprocess
import sys

ALGS = [("hmac", "HMAC-SHA256"), ("cmac", "AES-128-CMAC"), ("gmac", "AES-128-GMAC")]
SMBSIGN = ["smbsign-kvec", "smbsign-3kvec", "smbsign-bvec"]
MODELS = ["cifs-6.12-model", "ksmbd-6.12-model"]
LINE = re.compile(r"SMBSIGN-BENCH (\w+) (.*)")


def parse(path):
    micro, smp, e2e, drivers, clock = {}, [], [], {}, None
    with open(path, errors="replace") as f:
        for raw in f:
            m = LINE.search(raw.replace("\r", ""))
            if not m:
                continue
            kind = m.group(1)
            kv = dict(p.split("=", 1) for p in m.group(2).split() if "=" in p)
            if kind == "micro":
                key = (kv["alg"], int(kv["size"]), kv["impl"], kv["op"])
                # ns per operation, one value per round
                micro[key] = [int(v) / 1000.0 for v in kv["ps"].split(",")]
            elif kind == "smp":
                kv["mops"] = [int(v) for v in kv["mops"].split(",")]
                smp.append(kv)
            elif kind == "e2e":
                e2e.append(kv)
            elif kind == "clock":
                clock = kv.get("source")
            elif kind == "driver":
                drivers.setdefault(kv["alg"], []).extend(
                    f"{k}={v}" for k, v in kv.items() if k != "alg")
    return micro, smp, e2e, drivers, clock


def quartiles(values):
    """(median, first quartile, third quartile)"""
    v = sorted(values)
    if len(v) < 2:
        return v[0], v[0], v[0]
    q = statistics.quantiles(v, n=4, method="inclusive")
    return statistics.median(v), q[0], q[2]


def med(samples):
    return quartiles(samples)[0] if samples else None


def paired(a, b):
    """Median and IQR of a[r] / b[r] over the rounds both have."""
    if not a or not b:
        return None
    return quartiles([x / y for x, y in zip(a, b)])


def fmt_q(q, digits=3):
    return f"{q[0]:.{digits}f} [{q[1]:.{digits}f}-{q[2]:.{digits}f}]"


def mbps(size, ns):
    return size * 1e3 / ns                                # bytes/ns * 1000 = MB/s


def fmt_size(n):
    return f"{n // 1048576} MiB" if n >= 1048576 else f"{n // 1024} KiB" if n >= 1024 else f"{n} B"


def tables(micro, out):
    sizes = sorted({k[1] for k in micro})
    rows = []
    for alg, title in ALGS:
        out.append(f"\n{title}: ns/op (emulated, median), MB/s (emulated), x floor and x 6.12 cifs model"
                   " (median of per-round ratios [interquartile range])")
        out.append(f"{'size':>8} {'implementation':<17} {'op':<6} {'ns/op':>12} {'MB/s':>9} {'x floor':>22} {'x cifs':>7}")
        for size in sizes:
            floor = micro.get((alg, size, "floor", "mac"))
            if floor is None:
                continue
            for impl in ["floor"] + SMBSIGN + MODELS:
                for op in (["mac"] if impl == "floor" else ["sign", "verify"]):
                    samples = micro.get((alg, size, impl, op))
                    if samples is None:
                        continue
                    ns = med(samples)
                    cifs = micro.get((alg, size, "cifs-6.12-model", op))
                    xf = paired(samples, floor)
                    xc = paired(samples, cifs)
                    out.append(f"{fmt_size(size):>8} {impl:<17} {op:<6} {ns:12.1f} {mbps(size, ns):9.1f} "
                               f"{fmt_q(xf):>22} {('%.3f' % xc[0]) if xc else 'n/a':>7}")
                    rows.append([alg, size, impl, op, f"{ns:.1f}", f"{mbps(size, ns):.2f}",
                                 f"{xf[0]:.4f}", f"{xf[1]:.4f}", f"{xf[2]:.4f}",
                                 f"{xc[0]:.4f}" if xc else "", len(samples)])
    return rows


def smp_samples(smp, alg, impl, cpus):
    for s in smp:
        if s["alg"] == alg and s["impl"] == impl and s["cpus"] == cpus:
            return s["mops"]
    return None


def targets(micro, smp, out):
    """The performance targets, each judged on a median of paired ratios."""
    res = []

    def check(name, ok, detail):
        res.append(ok)
        out.append(f"  [{'met' if ok else 'MISSED'}] {name}: {detail}")

    out.append("\nTargets (median of per-round ratios [interquartile range], this run)")
    for alg, title in ALGS:
        for size, limit in ((65536, 1.02), (64, 1.3)):
            floor = micro.get((alg, size, "floor", "mac"))
            ratios = [(paired(micro[(alg, size, "smbsign-kvec", op)], floor), op)
                      for op in ("sign", "verify") if floor and (alg, size, "smbsign-kvec", op) in micro]
            if not ratios:
                continue  # algorithm not in this run (smbsign_bench alg=)
            worst = max(ratios, key=lambda r: r[0][0])
            check(f"{title} {fmt_size(size)} within {limit}x of the floor", worst[0][0] <= limit,
                  f"{fmt_q(worst[0])}x ({worst[1]})")
    for alg, title in ALGS[:2]:
        speedups = []
        for size in (64, 128, 1024, 4096):
            s = micro.get((alg, size, "smbsign-kvec", "verify"))
            c = micro.get((alg, size, "cifs-6.12-model", "verify"))
            f = micro.get((alg, size, "floor", "mac"))
            if s and c and f:
                speedups.append((paired(c, s)[0], size, paired(c, f)[0]))
        if not speedups:
            continue
        low = min(speedups)
        # no implementation beats the primitive: model / floor bounds it
        check(f"{title} verify >= 2x faster than the 6.12 cifs model, 64 B - 4 KiB", low[0] >= 2.0,
              "  ".join(f"{fmt_size(sz)} {x:.1f}x (bound {b:.1f}x)" for x, sz, b in speedups))
    for alg, title in ALGS:
        one = smp_samples(smp, alg, "smbsign", "one")
        two = smp_samples(smp, alg, "smbsign", "both")
        if one and two:
            q = paired(two, one)
            check(f"{title}: 2 CPUs on one key >= 1.8x one CPU (4 KiB sign, disjoint MessageIds)",
                  q[0] >= 1.8, f"{fmt_q(q, 2)}x")
    for size in (4096, 65536, 1048576):
        g = micro.get(("gmac", size, "smbsign-kvec", "sign"))
        c = micro.get(("cmac", size, "smbsign-kvec", "sign"))
        if g and c:
            # different boots of the module: medians, not paired rounds
            check(f"AES-GMAC faster than AES-CMAC at {fmt_size(size)}", med(g) < med(c),
                  f"GMAC takes {med(g) / med(c):.3f}x CMAC's time")
    return res


def smp_table(smp, out):
    out.append("\nOne key, one and two CPUs (4 KiB sign; kilo-operations/s, emulated, medians;"
               " 1 CPU: the mean of a run on CPU 0 and one on CPU 1;"
               " scaling: median of per-round ratios [IQR])")
    out.append(f"{'algorithm':<12} {'implementation':<17} {'CPU 0':>8} {'CPU 1':>8} {'1 CPU':>8}"
               f" {'2 CPUs':>8} {'scaling':>22}")
    rows = []
    keys = []
    for s in smp:
        k = (s["alg"], s["impl"])
        if k not in keys:
            keys.append(k)
    for alg, impl in keys:
        one, two = smp_samples(smp, alg, impl, "one"), smp_samples(smp, alg, impl, "both")
        cpu0, cpu1 = smp_samples(smp, alg, impl, "0"), smp_samples(smp, alg, impl, "1")
        if one and two and cpu0 and cpu1:
            q = paired(two, one)
            out.append(f"{alg:<12} {impl:<17} {med(cpu0) / 1e6:8.2f} {med(cpu1) / 1e6:8.2f}"
                       f" {med(one) / 1e6:8.2f} {med(two) / 1e6:8.2f} {fmt_q(q, 2):>21}x")
            rows.append([alg, impl, f"{med(cpu0) / 1e6:.3f}", f"{med(cpu1) / 1e6:.3f}",
                         f"{med(one) / 1e6:.3f}", f"{med(two) / 1e6:.3f}",
                         f"{q[0]:.3f}", f"{q[1]:.3f}", f"{q[2]:.3f}", len(one)])
    return rows


def e2e_table(e2e, out):
    if not e2e:
        return []
    base = {c["cell"]: c for c in e2e}
    out.append("\nCopy over cifs -> ksmbd on the guest's loopback (time as a ratio of the unsigned copy)")
    out.append(f"{'cell':<16} {'MiB':>4} {'write ms':>9} {'x unsigned':>10} {'read ms':>8} {'x unsigned':>10}  signed?")
    rows = []
    for c in e2e:
        ref = base["stock-unsigned" if c["cell"].startswith("stock") else "unsigned"]
        w, r = int(c["write_ms"]), int(c["read_ms"])
        xw, xr = w / max(int(ref["write_ms"]), 1), r / max(int(ref["read_ms"]), 1)
        signed = "yes" if c["debugdata_signed"] == "yes" else "no"
        if c["msgs"] != "0":
            signed += f" ({c['msgs']} msgs through smbsign)"
        out.append(f"{c['cell']:<16} {c['mb']:>4} {w:9d} {xw:10.2f} {r:8d} {xr:10.2f}  {signed}")
        rows.append([c["cell"], c["mb"], w, f"{xw:.3f}", r, f"{xr:.3f}", c["debugdata_signed"], c["msgs"]])
    return rows


def plot(micro, results):
    data = os.path.join(results, "bench-plot.dat")
    series = [("floor", "mac"), ("smbsign-kvec", "sign"), ("smbsign-bvec", "verify"),
              ("cifs-6.12-model", "verify"), ("ksmbd-6.12-model", "verify")]
    sizes = sorted({k[1] for k in micro})
    # a panel per algorithm of this run (smbsign_bench alg= runs one)
    algs = [(a, t) for a, t in ALGS if any(k[0] == a for k in micro)]
    with open(data, "w") as f:
        for alg, _ in algs:
            f.write(f"# {alg}\n")
            for size in sizes:
                vals = [med(micro.get((alg, size, i, o))) for i, o in series]
                f.write(f"{size} " + " ".join(f"{mbps(size, v):.3f}" if v else "NaN" for v in vals) + "\n")
            f.write("\n\n")
    titles = ["floor (bare primitive)", "smbsign sign, 1 kvec", "smbsign verify, pages",
              "6.12 cifs model verify", "6.12 ksmbd model verify"]
    script = [
        f"set terminal pngcairo size {500 * len(algs)},480 font ',10'" if gp_has("pngcairo")
        else f"set terminal png size {500 * len(algs)},480",
        f"set output '{os.path.join(results, 'bench.png')}'",
        f"set multiplot layout 1,{len(algs)} title 'smbsign under QEMU TCG: emulated MB/s (compare curves, not values)'",
        "set logscale xy", "set xlabel 'message size (bytes)'", "set ylabel 'MB/s (emulated)'",
        "set key left top", "set grid", "set format x '%.0s%cB'",
    ]
    for i, (alg, title) in enumerate(algs):
        plots = []
        for j, t in enumerate(titles):
            plots.append(f"'{data}' index {i} using 1:{j + 2} with linespoints title '{t}'")
        script.append(f"set title '{title}'")
        script.append("plot " + ", ".join(plots))
    script.append("unset multiplot")
    subprocess.run(["gnuplot"], input="\n".join(script), text=True, check=True)


def gp_has(term):
    r = subprocess.run(["gnuplot", "-e", "set terminal"], capture_output=True, text=True)
    return re.search(rf"^\s+{term}\s", r.stdout + r.stderr, re.M) is not None


def write_csv(path, header, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def main():
    log, results = sys.argv[1], sys.argv[2]
    micro, smp, e2e, drivers, clock = parse(log)
    if not micro:
        sys.exit("bench_report: no SMBSIGN-BENCH lines in " + log)
    out = ["smbsign benchmark. QEMU TCG emulates the CPU (-cpu max: AES-NI, PCLMULQDQ, AVX2):",
           "absolute times and MB/s are emulated, only the ratios within this run mean anything.",
           "Each figure: many batches, the implementations taking turns within a round;",
           "ratios are medians of per-round ratios with their interquartile range."]
    for alg, d in sorted(drivers.items()):
        out.append(f"  drivers {alg}: {' '.join(d)}")
    if clock:
        out.append(f"  guest clock source: {clock}")
    rows = tables(micro, out)
    smp_rows = smp_table(smp, out)
    e2e_rows = e2e_table(e2e, out)
    met = targets(micro, smp, out)
    out.append(f"\n{sum(met)} of {len(met)} targets met")
    text = "\n".join(out) + "\n"
    with open(os.path.join(results, "bench.txt"), "w") as f:
        f.write(text)
    write_csv(os.path.join(results, "bench.csv"),
              ["algorithm", "size", "implementation", "op", "ns_per_op_median", "mb_per_s", "x_floor_median",
               "x_floor_q1", "x_floor_q3", "x_cifs_model_median", "rounds"], rows)
    write_csv(os.path.join(results, "bench-smp.csv"),
              ["algorithm", "implementation", "mops_cpu0_median", "mops_cpu1_median",
               "mops_1cpu_median", "mops_2cpu_median", "scaling_median",
               "scaling_q1", "scaling_q3", "rounds"], smp_rows)
    write_csv(os.path.join(results, "bench-e2e.csv"),
              ["cell", "mib", "write_ms", "write_x_unsigned", "read_ms", "read_x_unsigned",
               "debugdata_signed", "smbsign_msgs"], e2e_rows)
    plot(micro, results)
    sys.stdout.write(text)
    print(f"results in {results}: bench.txt bench.csv bench-smp.csv bench-e2e.csv bench.png")


if __name__ == "__main__":
    main()
