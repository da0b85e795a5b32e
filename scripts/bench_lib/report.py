"""The benchmark's figures: derived ratios and the markdown tables `scripts/bench` prints."""

from __future__ import annotations

from cluster.events import STAGES


def derive(night: dict, enc: dict) -> dict:
    """Throughput vs. the encoder alone, non-embedding share."""
    wall = night["wall"]
    embedded = night["counts"].get("embed_new", 0)
    pure_s = embedded / enc["per_s"] if enc.get("per_s") else None
    stage_sum = sum(night["seconds"].get(s, 0.0) for s in STAGES)
    cpu = {}
    if night.get("cpu") and enc.get("cpu_per_text"):
        cpu = {
            "cpu_pct_of_encoder": 100.0 * embedded * enc["cpu_per_text"] / night["cpu"],
            "non_embed_cpu_share_pct": 100.0 * (night["cpu"] - night["stage_cpu"].get("embed", 0.0)) / night["cpu"],
            # records per CPU-second of the night over texts per CPU-second of the encoder alone
            "cpu_night_vs_encoder": night["counts"].get("ingest_new", 0) * enc["cpu_per_text"] / night["cpu"],
        }
    return {
        **cpu,
        "articles_per_s": night["counts"].get("ingest_new", 0) / wall,
        "night_vs_encoder": night["counts"].get("ingest_new", 0) / wall / enc["per_s"] if enc.get("per_s") else None,
        "embedded_per_s": embedded / wall,
        "pure_encoder_per_s": enc.get("per_s"),
        "pipeline_pct_of_encoder": 100.0 * pure_s / wall if pure_s else None,
        "non_embed_share_pct": 100.0 * (wall - night["seconds"].get("embed", 0.0)) / wall,
        "outside_stages_s": wall - stage_sum,
    }


def derive_cached(res: dict) -> dict:
    """Project a real night from a cache-filled one: its embed stage would encode every text the
    night looked up (embed_cached + embed_new) at the encoder-alone rate, by wall and by CPU."""
    run, enc = res["run"], res["encoder"]
    texts = run["counts"].get("embed_cached", 0) + run["counts"].get("embed_new", 0)
    non_embed = run["wall"] - run["seconds"].get("embed", 0.0)
    embed_proj = texts / enc["per_s"] + run["seconds"].get("embed", 0.0)
    wall_proj = non_embed + embed_proj
    out = {
        "texts": texts,
        "projected_embed_s": embed_proj,
        "projected_wall_s": wall_proj,
        "non_embed_s": non_embed,
        "projected_non_embed_share_pct": 100.0 * non_embed / wall_proj,
        "projected_pct_of_encoder": 100.0 * (texts / enc["per_s"]) / wall_proj,
    }
    if run.get("cpu") and enc.get("cpu_per_text"):
        non_embed_cpu = run["cpu"] - run["stage_cpu"].get("embed", 0.0)
        embed_cpu = texts * enc["cpu_per_text"]
        out.update(
            non_embed_cpu_s=non_embed_cpu,
            projected_embed_cpu_s=embed_cpu,
            projected_non_embed_cpu_share_pct=100.0 * non_embed_cpu / (non_embed_cpu + embed_cpu),
        )
    return out


def fmt_stages(sec: dict) -> str:
    return " ".join(f"{s}={sec.get(s, 0):.1f}" for s in STAGES)


def pct(x):
    return "—" if x is None else f"{x:.1f} %"


def report(results: dict) -> str:
    m = results["machine"]
    out = [
        f"machine: {m['nproc']} cores {m['cpu']}, avx512_bf16={m['avx512_bf16']} amx_bf16={m['amx_bf16']}, "
        f"{m['ram_gib']} GiB, torch {m['torch']} ({m['torch_threads']} threads), duckdb {m['duckdb']}; "
        f"load average at start {m['load_at_start']}, at end {results.get('load_at_end')}",
        "",
    ]
    sizes = results.get("sizes", {})
    for s in sizes.values():
        if "run" in s and "encoder" in s:
            s["derived"] = derive(s["run"], s["encoder"])
    if sizes:
        keys = sorted(sizes, key=int)
        out.append("| figure | " + " | ".join(f"{int(k):,} records" for k in keys) + " |")
        out.append("|---|" + "---:|" * len(keys))

        def row(label, fn):
            vals = []
            for k in keys:
                try:
                    vals.append(fn(sizes[k]))
                except (KeyError, TypeError, ZeroDivisionError):
                    vals.append("—")
            out.append(f"| {label} | " + " | ".join(vals) + " |")

        row(
            "stories (gold) / records with version>1 / dpa-AP redistributions",
            lambda s: f"{s['night']['stories']:,} / {s['night']['versions_gt1']:,} / {s['night']['redistributions']:,}",
        )
        row("texts embedded (unique live)", lambda s: f"{s['run']['counts']['embed_new']:,}")
        row("texts that took a copied vector (reuse)", lambda s: f"{s['run']['counts'].get('embed_reused', 0):,}")
        for st in STAGES:
            row(f"stage {st} (s)", lambda s, st=st: f"{s['run']['seconds'].get(st, 0):.2f}")
        row(
            "outside stages: copy, load_window, commit, publish (s)",
            lambda s: f"{s['derived']['outside_stages_s']:.2f}",
        )
        row("run_night wall (s)", lambda s: f"{s['run']['wall']:.1f}")
        row("+ model load, once per process (s)", lambda s: f"{s['run']['model_load']:.1f}")
        row("+ imports (s)", lambda s: f"{s['run']['import']:.1f}")
        row("peak RSS of the night process (MB)", lambda s: f"{s['run']['rss_mb']:,.0f}")
        row("database file after the night (MB)", lambda s: f"{s['run']['db_mb']:,.0f}")
        row("pipeline: records ingested / s of wall", lambda s: f"{s['derived']['articles_per_s']:.1f}")
        row("pipeline: texts embedded / s of wall", lambda s: f"{s['derived']['embedded_per_s']:.1f}")
        row(
            "encoder alone: texts / s (same texts, same settings)",
            lambda s: (
                f"{s['encoder']['per_s']:.1f}"
                + (f" (sample of {s['encoder']['n']:,})" if s["encoder"]["sampled"] else "")
            ),
        )
        row(
            "whole night: records / s ÷ encoder alone texts / s (target >= 1.3)",
            lambda s: f"{s['derived']['night_vs_encoder']:.2f}x",
        )
        row("pipeline throughput as % of the encoder alone", lambda s: pct(s["derived"]["pipeline_pct_of_encoder"]))
        row("non-embedding stages' share of wall (target <= 10 %)", lambda s: pct(s["derived"]["non_embed_share_pct"]))
        row(
            "CPU seconds of the night (all threads) / of its embed stage",
            lambda s: f"{s['run']['cpu']:.0f} / {s['run']['stage_cpu']['embed']:.0f}",
        )
        row("by CPU time: pipeline as % of the encoder alone", lambda s: pct(s["derived"].get("cpu_pct_of_encoder")))
        row(
            "by CPU time: records / CPU-s of the night ÷ encoder texts / CPU-s",
            lambda s: f"{s['derived']['cpu_night_vs_encoder']:.2f}x",
        )
        row("by CPU time: non-embedding share", lambda s: pct(s["derived"].get("non_embed_cpu_share_pct")))
        row("rerun of the same night: run_night (s)", lambda s: f"{s['rerun']['wall']:.2f}")
        row("rerun: whole process incl. imports (s) (target <= 5 s)", lambda s: f"{s['rerun']['subprocess_wall']:.2f}")
        row("B-cubed F1 vs generator's gold stories", lambda s: f"{s['run']['bcubed_synthetic']['f1']:.3f}")
        row(
            "load average during the night (start → end, 1 min)",
            lambda s: f"{s['run']['load_start'][0]:.1f} → {s['run']['load_end'][0]:.1f}",
        )
        out.append("")
    cs = results.get("cached_sizes", {})
    for k, s in cs.items():
        if "encoder" not in s or "run" not in s:
            continue
        s["derived"] = derive_cached(s)
        r, dv = s["run"], s["derived"]
        out.append(
            f"{int(k):,} records with the embedding cache pre-filled (stand-in vectors; no model forward pass in the night):"
        )
        out.append(
            f"- stages (s): {fmt_stages(r['seconds'])}; outside stages {r['wall'] - sum(r['seconds'].get(x, 0) for x in STAGES):.1f}; "
            f"run_night wall {r['wall']:.1f} s; model load {r['model_load']:.1f} s; peak RSS {r['rss_mb']:,.0f} MB; DB {r['db_mb']:,.0f} MB"
        )
        out.append(
            f"- encoder alone {s['encoder']['per_s']:.1f} texts/s on a sample of {s['encoder']['n']:,} of the {dv['texts']:,} texts the night looks up "
            f"-> projected embed stage {dv['projected_embed_s']:.0f} s, projected night {dv['projected_wall_s']:.0f} s, "
            f"non-embedding {dv['non_embed_s']:.1f} s = {dv['projected_non_embed_share_pct']:.1f} % of the projected wall; "
            f"pipeline at {dv['projected_pct_of_encoder']:.1f} % of the encoder alone"
        )
        if "non_embed_cpu_s" in dv:
            out.append(
                f"- by CPU time: stages {fmt_stages(r['stage_cpu'])}; non-embedding {dv['non_embed_cpu_s']:.0f} CPU-s vs. "
                f"{dv['projected_embed_cpu_s']:.0f} CPU-s to embed ({s['encoder']['cpu_per_text'] * 1000:.1f} ms/text alone) "
                f"= {dv['projected_non_embed_cpu_share_pct']:.1f} % non-embedding"
            )
        out.append(
            f"- rerun: run_night {s['rerun']['wall']:.2f} s, process {s['rerun']['subprocess_wall']:.2f} s; "
            f"B-cubed vs gold {r['bcubed_synthetic']['f1']:.3f}; load {r['load_start'][0]:.1f} -> {r['load_end'][0]:.1f}"
        )
        out.append("")
    prec = results.get("precision")
    if prec:
        out.append(f"bf16 vs fp32 on the same {prec['n']:,} synthetic texts (texts/s; cosine bf16 to fp32):")
        out.append("| tokens | fp32 /s | bf16 /s | speed-up | min cosine | mean cosine |")
        out.append("|---:|---:|---:|---:|---:|---:|")
        for t in (128, 256):
            a, b, c = prec[f"fp32@{t}"], prec[f"bf16@{t}"], prec[f"cos@{t}"]
            out.append(
                f"| {t} | {a['per_s']:.1f} | {b['per_s']:.1f} | {b['per_s'] / a['per_s']:.2f}x | {c['min']:.5f} | {c['mean']:.5f} |"
            )
        out.append("")
    q = results.get("quality")
    if q:
        out.append(
            "encoder input, headline + lead at 128 vs 256 tokens: B-cubed F1 of cluster_documents (precomputed vectors)"
        )
        out.append("| corpus | docs | F1 @128 | F1 @256 | P/R @128 | P/R @256 |")
        out.append("|---|---:|---:|---:|---:|---:|")
        for c in ("ecbplus", "neus"):
            a, b = q[f"{c}@128"], q[f"{c}@256"]
            out.append(
                f"| {c} | {a['n']:,} | {a['f1']:.3f} | {b['f1']:.3f} | {a['precision']:.3f}/{a['recall']:.3f} | {b['precision']:.3f}/{b['recall']:.3f} |"
            )
        if prec:
            out.append(
                f"speed (bf16): {prec['bf16@128']['per_s']:.1f} texts/s at 128 vs {prec['bf16@256']['per_s']:.1f} at 256"
            )
        out.append("")
    arc = results.get("archive")
    if arc and "empty0" in arc:
        out.append(
            "archive independence: the same three 10k nights on an empty DB vs. a 200k-article archive "
            "(embedding cache pre-filled identically in both; wall = run_night, fastest of the repeats listed)"
        )
        out.append(
            "| night | canonical docs clustered | empty wall (s) | archive wall (s) | difference | empty stages | archive stages |"
        )
        out.append("|---:|---:|---:|---:|---:|---|---|")
        tot_e = tot_a = 0.0
        for k in range(3):
            e, a = arc.get(f"empty{k}"), arc.get(f"archive{k}")
            if not (e and a):
                continue
            tot_e += e["wall"]
            tot_a += a["wall"]
            out.append(
                f"| {k + 1} | {e['counts'].get('cluster_docs', 0):,} | {e['wall']:.1f} {arc.get(f'empty{k}_walls', '')} | "
                f"{a['wall']:.1f} {arc.get(f'archive{k}_walls', '')} | "
                f"{100 * (a['wall'] - e['wall']) / e['wall']:+.1f} % | {fmt_stages(e['seconds'])} | {fmt_stages(a['seconds'])} |"
            )
        if tot_e:
            out.append(
                f"| all | | {tot_e:.1f} | {tot_a:.1f} | {100 * (tot_a - tot_e) / tot_e:+.1f} % (target within 15 %) | | |"
            )
        if "rerun_archive" in arc:
            out.append(
                f"rerun of night 3: empty DB run_night {arc['rerun_empty']['wall']:.2f} s (process {arc['rerun_empty']['subprocess_wall']:.2f} s); "
                f"archive DB run_night {arc['rerun_archive']['wall']:.2f} s (process {arc['rerun_archive']['subprocess_wall']:.2f} s)"
            )
        if "archive2" in arc:
            out.append(
                f"DB file after night 3: empty {arc['empty2']['db_mb']:,.0f} MB, archive {arc['archive2']['db_mb']:,.0f} MB; "
                f"B-cubed vs gold night 3: empty {arc['empty2']['bcubed_synthetic']['f1']:.3f}, archive {arc['archive2']['bcubed_synthetic']['f1']:.3f}"
            )
        out.append("")
    return "\n".join(out)
