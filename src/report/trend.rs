//! The trend of `report.html`: passed, failed and skipped scenarios over the earlier runs in
//! the same reports directory and this one, as an inline SVG chart with dated axes and a
//! legend. Only runs of the same selection against the same contracts are compared: a
//! `--name` run beside nightly full runs is not a decline (issue #25).

use super::{Report, escape_xml as esc};

/// The earlier runs comparable with `report` (the same selection, the same contracts' hash),
/// oldest first, and how many were left out.
pub(crate) fn comparable<'a>(report: &Report, history: &'a [Report]) -> (Vec<&'a Report>, usize) {
    let hash = |r: &Report| r.contract_set.as_ref().map(|c| c.sha256.clone());
    let kept: Vec<&Report> = history
        .iter()
        .filter(|r| r.selection == report.selection && hash(r) == hash(report))
        .collect();
    let left_out = history.len() - kept.len();
    (kept, left_out)
}

const W: f64 = 640.0;
const H: f64 = 220.0;
/// Room for the y labels on the left, the dates below and the legend above.
const LEFT: f64 = 48.0;
const RIGHT: f64 = 64.0;
const TOP: f64 = 28.0;
const BOTTOM: f64 = 56.0;

/// A series: its name, its colour, and the count it plots.
type Series = (&'static str, &'static str, fn(&Report) -> usize);

/// Failed last, so it is drawn on top where the lines meet (at 0, typically).
const SERIES: &[Series] = &[
    ("passed", "#197019", |r| r.totals.passed),
    ("skipped", "#888888", |r| r.totals.skipped),
    ("failed", "#b01919", |r| r.totals.failed),
];

/// The chart (and a line saying which earlier runs it leaves out).
pub(crate) fn chart(report: &Report, history: &[Report]) -> String {
    let (earlier, left_out) = comparable(report, history);
    let runs: Vec<&Report> = earlier.into_iter().chain(std::iter::once(report)).collect();
    let max = runs
        .iter()
        .flat_map(|r| SERIES.iter().map(move |(_, _, pick)| pick(r)))
        .max()
        .unwrap_or(0)
        .max(1);
    let n = runs.len();
    let x = |i: usize| {
        if n <= 1 {
            LEFT + (W - LEFT - RIGHT) / 2.0
        } else {
            LEFT + (W - LEFT - RIGHT) * i as f64 / (n - 1) as f64
        }
    };
    let y = |v: usize| TOP + (H - TOP - BOTTOM) * (1.0 - v as f64 / max as f64);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-label=\"passed, failed and skipped scenarios per run of this selection\">\n"
    );
    svg.push_str(&axes(max, &y));
    // Dates under the points; at most 6 labels, so they do not overlap.
    let step = n.div_ceil(6).max(1);
    for (i, r) in runs.iter().enumerate() {
        if i % step == 0 || i + 1 == n {
            let (day, time) = split_date(&r.run.started_at);
            svg.push_str(&format!(
                "<text x=\"{0:.1}\" y=\"{1}\" font-size=\"10\" text-anchor=\"middle\">{2}</text>\n<text x=\"{0:.1}\" y=\"{3}\" font-size=\"10\" text-anchor=\"middle\">{4}</text>\n",
                x(i),
                H - BOTTOM + 14.0,
                esc(day),
                H - BOTTOM + 26.0,
                esc(time)
            ));
        }
    }
    svg.push_str(&format!(
        "<text x=\"{:.1}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\">run started (UTC)</text>\n",
        LEFT + (W - LEFT - RIGHT) / 2.0,
        H - 6.0
    ));
    for (k, (name, colour, pick)) in SERIES.iter().enumerate() {
        let points: Vec<String> = runs
            .iter()
            .enumerate()
            .map(|(i, r)| format!("{:.1},{:.1}", x(i), y(pick(r))))
            .collect();
        svg.push_str(&format!(
            "<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{}\"/>\n",
            points.join(" ")
        ));
        for (i, r) in runs.iter().enumerate() {
            svg.push_str(&format!(
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"{colour}\"><title>{}: {} {name}</title></circle>\n",
                x(i),
                y(pick(r)),
                esc(&r.run.started_at),
                pick(r)
            ));
        }
        // The legend, above the plot: every series drawn, with its colour.
        let lx = LEFT + 150.0 * k as f64;
        svg.push_str(&format!(
            "<line x1=\"{lx}\" y1=\"10\" x2=\"{}\" y2=\"10\" stroke=\"{colour}\" stroke-width=\"2\"/>\n<text x=\"{}\" y=\"14\" font-size=\"11\">{name} scenarios</text>\n",
            lx + 16.0,
            lx + 20.0
        ));
    }
    svg.push_str("</svg>\n");
    let mut note = format!(
        "<p>{n} run(s) of this selection against these contracts.",
        n = runs.len()
    );
    if left_out > 0 {
        note.push_str(&format!(
            " {left_out} earlier run(s) in the same directory of another selection or other contracts are left out."
        ));
    }
    note.push_str("</p>\n");
    svg + &note
}

/// The y axis (0, half and the maximum, with grid lines), the x axis, and the y label.
fn axes(max: usize, y: &dyn Fn(usize) -> f64) -> String {
    let mut out = String::new();
    let mut ticks = vec![0, max / 2, max];
    ticks.dedup();
    for t in ticks {
        out.push_str(&format!(
            "<line x1=\"{LEFT}\" y1=\"{0:.1}\" x2=\"{1}\" y2=\"{0:.1}\" stroke=\"#ddd\"/>\n<text x=\"{2}\" y=\"{3:.1}\" font-size=\"10\" text-anchor=\"end\">{t}</text>\n",
            y(t),
            W - RIGHT,
            LEFT - 4.0,
            y(t) + 3.0
        ));
    }
    out.push_str(&format!(
        "<line x1=\"{LEFT}\" y1=\"{TOP}\" x2=\"{LEFT}\" y2=\"{0}\" stroke=\"#999\"/>\n<line x1=\"{LEFT}\" y1=\"{0}\" x2=\"{1}\" y2=\"{0}\" stroke=\"#999\"/>\n<text x=\"12\" y=\"{2:.1}\" font-size=\"11\" text-anchor=\"middle\" transform=\"rotate(-90 12 {2:.1})\">scenarios</text>\n",
        H - BOTTOM,
        W - RIGHT,
        TOP + (H - TOP - BOTTOM) / 2.0
    ));
    out
}

/// `2026-12-06T22:09:18Z` as (`2026-12-06`, `22:09`).
fn split_date(at: &str) -> (&str, &str) {
    match at.split_once('T') {
        Some((day, time)) => (day, time.get(..5).unwrap_or(time)),
        None => (at, ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{ContractSetRecord, Selection};

    fn run(at: &str, name: Option<&str>, hash: &str, passed: usize) -> Report {
        let mut r = Report {
            selection: Some(Selection {
                name: name.map(str::to_string),
                features: "features".into(),
                ..Default::default()
            }),
            contract_set: Some(ContractSetRecord {
                sha256: hash.into(),
                ..Default::default()
            }),
            ..Default::default()
        };
        r.run.started_at = at.into();
        r.totals.passed = passed;
        r
    }

    #[test]
    fn only_runs_of_the_same_selection_and_contracts_are_compared() {
        let now = run("2026-12-06T10:00:00Z", None, "a", 140);
        let history = [
            run("2026-12-01T10:00:00Z", None, "a", 139),
            run("2026-12-02T10:00:00Z", Some("page"), "a", 3),
            run("2026-12-03T10:00:00Z", None, "b", 120),
            run("2026-12-04T10:00:00Z", None, "a", 141),
        ];
        let (kept, left_out) = comparable(&now, &history);
        let dates: Vec<&str> = kept.iter().map(|r| r.run.started_at.as_str()).collect();
        assert_eq!(dates, ["2026-12-01T10:00:00Z", "2026-12-04T10:00:00Z"]);
        assert_eq!(left_out, 2);
        let svg = chart(&now, &history);
        assert!(svg.contains("3 run(s) of this selection"), "{svg}");
        assert!(svg.contains("2 earlier run(s)"), "{svg}");
        // dated x axis, labelled axes, a legend entry per series drawn
        for text in [
            ">2026-12-01<",
            ">2026-12-06<",
            ">10:00<",
            "run started (UTC)",
            ">scenarios<",
            ">passed scenarios<",
            ">failed scenarios<",
            ">skipped scenarios<",
        ] {
            assert!(svg.contains(text), "{text} in {svg}");
        }
        assert!(!svg.contains("2026-12-02"), "the --name run is left out");
        assert_eq!(svg.matches("<polyline").count(), SERIES.len());
    }
}
