"""Pictures of cost ranges. matplotlib is imported lazily (Agg backend, no display needed);
every function returns the matplotlib Figure and, given ``out``, writes a PNG atomically."""

from __future__ import annotations

import datetime as dt
import io
import math

import numpy as np

from estimator.data.writers import write_bytes

VERDICT_COLOURS = {"reproduced": "#1a9850", "consistent": "#4575b4", "inconsistent": "#d73027"}


def _plt():
    # lazy: matplotlib is heavy (~0.5 s) and only pictures need it
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def save(fig, out, *, force: bool = False, dpi: int = 120, inputs=(), profiles=None) -> None:
    """Write ``fig`` as PNG to ``out`` atomically, never over ``inputs`` or a profile
    (writers.py)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    write_bytes(out, buffer.getvalue(), force=force, inputs=inputs, profiles=profiles)


def plot_check(frame):
    """Each claim against its computed range, as multiples of the computed value (log x).

    ``frame`` is check()'s output. Different claims have different units, so the x axis is
    claim / computed: 1 is the computed value (at the source's assumptions, else typical), the
    bar spans the computed range, the marker is the claim, coloured by verdict.
    """
    plt = _plt()
    rows = frame.reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(10, 0.42 * len(rows) + 1.6))
    labels = []
    for i, r in rows.iterrows():
        ref = r["computed_value"]
        low, high = r["range_low"] / ref, r["range_high"] / ref
        colour = VERDICT_COLOURS[r["verdict"]]
        ax.plot([low, high], [i, i], color="#999999", linewidth=6, solid_capstyle="butt",
                alpha=0.6, marker="|" if math.isclose(low, high) else None, markersize=14,
                markeredgewidth=3)
        ax.plot([r["claim_value"] / ref], [i], marker="D", color=colour, markersize=8,
                linestyle="none")
        labels.append(f"{r['scenario']} ({r['quantity']})")
    ax.axvline(1.0, color="black", linewidth=0.8)
    ax.set_xscale("log")
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels(labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("claim / computed value (1 = computed at the source's assumptions; bar = "
                  "computed range)")
    ax.set_title("Published claims against what the arithmetic gives")
    handles = [plt.Line2D([], [], marker="D", color=c, linestyle="none", label=v)
               for v, c in VERDICT_COLOURS.items()]
    handles.append(plt.Line2D([], [], color="#999999", linewidth=6, alpha=0.6,
                              label="computed range"))
    ax.legend(handles=handles, loc="lower right", fontsize=8)
    ax.grid(axis="x", which="both", alpha=0.2)
    fig.tight_layout()
    return fig


def plot_cost(frame, x: str = "count"):
    """Cost band (low-high shaded, typical line) against ``x`` (count or hours), per GPU."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(8, 5))
    for gpu, part in frame.groupby("gpu", sort=False, observed=True):
        part = part.sort_values(x)
        line, = ax.plot(part[x], part["cost_usd_typical"], label=str(gpu), linewidth=2)
        ax.fill_between(part[x], part["cost_usd_low"], part["cost_usd_high"],
                        color=line.get_color(), alpha=0.2)
    ax.set_xlabel({"count": "GPUs", "hours": "wall-clock hours"}.get(x, x))
    ax.set_ylabel("rental cost [USD] (line typical, band low-high)")
    ax.set_yscale("log")
    ax.set_title(f"Rental cost against {'GPU count' if x == 'count' else 'hours'}")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3, which="both")
    fig.tight_layout()
    return fig


def plot_simulate(samples, column: str = "cost_usd", bins: int = 80):
    """Histogram of Monte Carlo draws with P5, P50 and P95 marked."""
    plt = _plt()
    values = np.asarray(samples[column])
    fig, ax = plt.subplots(figsize=(8, 4.5))
    ax.hist(values, bins=bins, color="#4575b4", alpha=0.75)
    for q, style in zip((5, 50, 95), ("--", "-", "--")):
        v = float(np.percentile(values, q))
        ax.axvline(v, color="black", linestyle=style, linewidth=1)
        ax.annotate(f"P{q} {v:,.0f}", (v, ax.get_ylim()[1] * 0.95), rotation=90, fontsize=8,
                    ha="right", va="top")
    ax.set_xlabel(column.replace("_", " "))
    ax.set_ylabel("draws")
    ax.set_title(f"Monte Carlo, {len(values):,} draws")
    fig.tight_layout()
    return fig


def plot_library(frame):
    """Training cost over time (log y): each run at its own date's band, typical with low-high bars;
    its disclosed cost as a hollow marker; DeepSeek runs highlighted."""
    plt = _plt()

    data = frame[frame["cost_usd_typical"].notna() & frame["date"].notna()].reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(12, 7))
    for i, r in data.iterrows():
        when = dt.date.fromisoformat(r["date"])
        deepseek = "deepseek" in r["scenario"]
        colour = "#d73027" if deepseek else "#4575b4"
        ax.errorbar([when], [r["cost_usd_typical"]],
                    yerr=[[r["cost_usd_typical"] - r["cost_usd_low"]],
                          [r["cost_usd_high"] - r["cost_usd_typical"]]],
                    fmt="o", color=colour, capsize=3, markersize=6 if deepseek else 5)
        disclosed = r.get("disclosed_cost_usd")
        if disclosed is not None and not (isinstance(disclosed, float) and math.isnan(disclosed)):
            ax.plot([when], [disclosed], marker="s", markerfacecolor="none", color=colour,
                    markersize=7)
        ax.annotate(r["scenario"], (when, r["cost_usd_typical"]), fontsize=6.5,
                    xytext=(5, (-9, 3, 12)[i % 3]), textcoords="offset points",
                    fontweight="bold" if deepseek else "normal")
    ax.set_yscale("log")
    ax.set_ylabel("training cost at the rental band of its date [USD]")
    ax.set_xlabel("publication date")
    ax.set_title("Public training runs: cost at the prices of their date (bar = low-high band; "
                 "square = disclosed cost)")
    handles = [plt.Line2D([], [], marker="o", color="#d73027", linestyle="none",
                          label="DeepSeek"),
               plt.Line2D([], [], marker="o", color="#4575b4", linestyle="none",
                          label="other runs"),
               plt.Line2D([], [], marker="s", markerfacecolor="none", color="gray",
                          linestyle="none", label="disclosed cost")]
    ax.legend(handles=handles, fontsize=8, loc="upper left")
    ax.grid(alpha=0.3, which="both")
    fig.tight_layout()
    return fig


def plot_goodput(counts, shares, mark_count=None):
    """Goodput share against GPU count (log x), with ``mark_count`` (e.g. Llama 3's 16,384)."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(8, 4.5))
    ax.plot(counts, np.asarray(shares) * 100, color="#4575b4", linewidth=2)
    if mark_count is not None:
        share = float(np.interp(mark_count, counts, shares))
        ax.plot([mark_count], [share * 100], marker="o", color="#d73027")
        ax.annotate(f"{mark_count:,} GPUs: {share:.1%}", (mark_count, share * 100),
                    xytext=(8, 8), textcoords="offset points", fontsize=8)
    ax.set_xscale("log")
    ax.set_xlabel("GPUs in the job")
    ax.set_ylabel("goodput [% of wall-clock time training]")
    ax.set_title("Goodput against scale (failure rate from Llama 3; Young/Daly checkpoints)")
    ax.grid(alpha=0.3, which="both")
    fig.tight_layout()
    return fig


def plot_mfu(curve, anchors, title: str):
    """Predicted MFU against GPU count (log x) with its range shaded, and the published runs
    (``anchors``: name, gpus, mfu_reported, held_out, same_generation) marked: filled for the
    anchors, open for held-out runs, grey for other chip generations."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(8, 4.5))
    ax.fill_between(curve["gpus"], curve["mfu_low"] * 100, curve["mfu_high"] * 100,
                    color="#91bfdb", alpha=0.5, label="range (model error on the anchors)")
    ax.plot(curve["gpus"], curve["mfu_predicted"] * 100, color="#4575b4", linewidth=2,
            marker=".", label="predicted")
    for row in anchors.itertuples():
        colour = "#d73027" if row.same_generation else "#999999"
        ax.plot([row.gpus], [row.mfu_reported * 100], marker="o", color=colour,
                markerfacecolor="none" if row.held_out else colour, linestyle="none")
        ax.annotate(row.name, (row.gpus, row.mfu_reported * 100), xytext=(5, 4),
                    textcoords="offset points", fontsize=7, color=colour)
    ax.plot([], [], marker="o", color="#d73027", linestyle="none",
            label="published run, same chip generation (open: held out)")
    ax.plot([], [], marker="o", color="#999999", linestyle="none", label="other chips")
    ax.set_xscale("log")
    ax.set_xlabel("GPUs in the job")
    ax.set_ylabel("MFU [% of dense peak]")
    ax.set_ylim(bottom=0)
    ax.set_title(title, fontsize=10)
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    return fig


TIER_COLOURS = {"on_demand": "#4575b4", "commit_1y": "#91bfdb", "commit_3y": "#1a9850",
                "spot": "#fc8d59", "marketplace": "#d73027"}


def plot_prices(history: dict, as_of):
    """Rental price history per GPU (one panel each), a colour per tier, a marker per
    observation, and each tier's band at ``as_of`` drawn as a bar (low-high) with a tick at
    typical.

    ``history`` maps a GPU label to ``price_observations()``'s (observations frame, tier ->
    Band or None); ``as_of`` is the band date (datetime.date).
    """
    plt = _plt()
    fig, axes = plt.subplots(len(history), 1, figsize=(9, 3.6 * len(history)), squeeze=False)
    for ax, (gpu, (frame, bands)) in zip(axes[:, 0], history.items()):
        for tier, part in frame.groupby("tier", sort=True):
            dates = [dt.date.fromisoformat(d) for d in part["date"]]
            ax.plot(dates, part["usd_per_gpu_hour"], marker="o", linestyle="none",
                    color=TIER_COLOURS.get(tier, "gray"), label=tier, markersize=5)
        for tier, band in bands.items():
            if band is None:
                continue
            colour = TIER_COLOURS.get(tier, "gray")
            ax.plot([as_of, as_of], [band.low, band.high], color=colour, linewidth=6,
                    alpha=0.45, solid_capstyle="butt", label=f"{tier} band at {as_of}")
            ax.plot([as_of], [band.typical], marker="_", color=colour, markersize=18,
                    markeredgewidth=2)
        ax.set_yscale("log")
        ax.set_ylabel("USD per GPU-hour")
        ax.set_title(f"{gpu}: rental price observations by tier")
        ax.legend(fontsize=7, loc="upper right")
        ax.grid(alpha=0.3, which="both")
    axes[-1, 0].set_xlabel("observation date")
    fig.tight_layout()
    return fig


def plot_coverage(frame):
    """Price coverage as a heatmap: one row per GPU x tier x provider class, one column per
    quarter, colour = observations in the quarter (log scale; a gap is pale red, blank before
    the first observation), each cell labelled "observations/providers".

    ``frame`` is ``price_coverage()``'s long frame."""
    plt = _plt()
    from matplotlib.colors import LogNorm  # lazy: matplotlib, see _plt

    labels = list(dict.fromkeys(zip(frame["gpu"], frame["tier"], frame["provider_class"])))
    columns = sorted(set(frame["quarter"]))
    grid = np.full((max(len(labels), 1), max(len(columns), 1)), np.nan)
    text = {}
    row_of = {label: i for i, label in enumerate(labels)}
    col_of = {q: j for j, q in enumerate(columns)}
    for r in frame.itertuples(index=False):
        i, j = row_of[(r.gpu, r.tier, r.provider_class)], col_of[r.quarter]
        grid[i, j] = r.observations
        text[i, j] = f"{r.observations}/{r.providers}" if r.observations else "-"
    fig, ax = plt.subplots(figsize=(max(6, 0.55 * len(columns) + 4),
                                    max(2.5, 0.32 * len(labels) + 1.5)))
    ax.imshow(np.where(grid == 0, 1, np.nan), cmap="Reds", vmin=0, vmax=4, aspect="auto")
    shown = np.where(grid > 0, grid, np.nan)
    image = ax.imshow(shown, cmap="viridis", aspect="auto",
                      norm=LogNorm(vmin=1, vmax=max(2, np.nanmax(grid) if labels else 2)))
    for (i, j), label in text.items():
        ax.text(j, i, label, ha="center", va="center", fontsize=6,
                color="black" if label == "-" else "white")
    ax.set_xticks(range(len(columns)), columns, rotation=90, fontsize=7)
    ax.set_yticks(range(len(labels)), [f"{g} {t} {c}" for g, t, c in labels], fontsize=7)
    ax.set_title("Rental price observations per quarter (observations/providers; - = gap)")
    fig.colorbar(image, ax=ax, label="observations", format="%g")
    fig.tight_layout()
    return fig


METHOD_COLOURS = {"rental": "#4575b4", "cloud": "#1a9850", "amortised": "#fc8d59",
                  "acquisition": "#d73027"}


def plot_methods(frame):
    """The cost methods side by side (log x): one bar per row of ``estimate(...,
    method=...)``'s output spanning cost_usd_low-high with a marker at typical, labelled by
    method (and stage or GPU where the frame has several runs). Rows without a cost (e.g.
    acquisition without a GPU count) are left out."""
    plt = _plt()
    rows = frame[frame["cost_usd_typical"].notna()].reset_index(drop=True)
    runs = rows["run"] if "run" in rows else rows["gpu"]
    several = runs.nunique() > 1
    fig, ax = plt.subplots(figsize=(9, 0.5 * len(rows) + 1.6))
    labels = []
    for i, r in rows.iterrows():
        colour = METHOD_COLOURS.get(r["method"], "gray")
        ax.plot([r["cost_usd_low"], r["cost_usd_high"]], [i, i], color=colour, linewidth=8,
                alpha=0.45, solid_capstyle="butt")
        ax.plot([r["cost_usd_typical"]], [i], marker="D", color=colour, linestyle="none")
        labels.append(f"{runs[i]}: {r['method']}" if several else r["method"])
    ax.set_xscale("log")
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels(labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("cost [USD] (bar = low-high range, diamond = typical)")
    ax.set_title("One run, four ways to count its cost (Epoch AI's methods, arXiv 2405.21015)")
    ax.grid(axis="x", which="both", alpha=0.2)
    fig.tight_layout()
    return fig
