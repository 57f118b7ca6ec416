//! SVG charts of a change's effect, drawn with plotters for the app to embed: a statement's
//! mean time and calls over time with the change marked, before/after bars per affected
//! statement, and an index's size and scans over time. Each has a title and axis labels with
//! units, in a light or a dark palette.

use crate::error::{Error, Result};
use chrono::{DateTime, Utc};
use plotters::prelude::*;
use serde::Deserialize;

const SIZE: (u32, u32) = (720, 360);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    Light,
    Dark,
}

struct Palette {
    background: RGBColor,
    text: RGBColor,
    grid: RGBColor,
    first: RGBColor,
    second: RGBColor,
    mark: RGBColor,
}

impl Theme {
    fn palette(self) -> Palette {
        match self {
            Theme::Light => Palette {
                background: RGBColor(255, 255, 255),
                text: RGBColor(30, 35, 45),
                grid: RGBColor(225, 228, 235),
                first: RGBColor(37, 99, 235),
                second: RGBColor(234, 88, 12),
                mark: RGBColor(220, 38, 38),
            },
            Theme::Dark => Palette {
                background: RGBColor(22, 25, 32),
                text: RGBColor(226, 230, 238),
                grid: RGBColor(55, 60, 72),
                first: RGBColor(96, 165, 250),
                second: RGBColor(251, 146, 60),
                mark: RGBColor(248, 113, 113),
            },
        }
    }
}

/// The legend every chart draws, in the theme's colours.
fn legend<'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, SVGBackend<'a>, CT>,
    p: &Palette,
) -> Result<()> {
    chart
        .configure_series_labels()
        .background_style(p.background)
        .border_style(p.grid)
        .label_font(("sans-serif", 12).into_font().color(&p.text))
        .draw()
        .map_err(chart_error)
}

fn chart_error<E: std::fmt::Debug>(e: E) -> Error {
    Error::Local(format!("could not draw the chart: {e:?}"))
}

// Chart coordinates are whole seconds and small indices; rounding them back is exact.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
fn time_label(secs: f64) -> String {
    DateTime::<Utc>::from_timestamp(secs.round() as i64, 0)
        .map(|t| t.format("%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
fn index(x: f64) -> usize {
    x.max(0.0) as usize
}

fn span(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    if !lo.is_finite() || !hi.is_finite() {
        return (0.0, 1.0);
    }
    if (hi - lo).abs() < f64::EPSILON {
        (lo - 1.0, hi + 1.0)
    } else {
        (lo, hi)
    }
}

/// A point of a statement's history: interval end, mean time (ms) and calls.
#[derive(Debug, Clone, Copy)]
pub struct StatementPoint {
    pub at: DateTime<Utc>,
    pub mean_ms: f64,
    pub calls: f64,
}

/// Mean time (left axis) and calls (right axis) over time, with the change marked.
pub fn statement_over_time(
    title: &str,
    points: &[StatementPoint],
    change_at: Option<DateTime<Utc>>,
    theme: Theme,
) -> Result<String> {
    let at = |q: &StatementPoint| q.at.timestamp() as f64;
    dual_axis(
        title,
        Line {
            axis: "mean time (ms)",
            legend: "mean time (ms)",
            points: points.iter().map(|q| (at(q), q.mean_ms)).collect(),
        },
        Line {
            axis: "calls per interval",
            legend: "calls",
            points: points.iter().map(|q| (at(q), q.calls)).collect(),
        },
        change_at.map(|c| (c.timestamp() as f64, "change applied")),
        theme,
    )
}

/// One series of a two-axis chart: its axis title, legend and (time, value) points.
struct Line {
    axis: &'static str,
    legend: &'static str,
    points: Vec<(f64, f64)>,
}

/// A line on the left axis and one on the right, over time, with an optional vertical mark.
fn dual_axis(
    title: &str,
    left: Line,
    right: Line,
    mark: Option<(f64, &'static str)>,
    theme: Theme,
) -> Result<String> {
    let p = theme.palette();
    let xs = left
        .points
        .iter()
        .chain(&right.points)
        .map(|q| q.0)
        .chain(mark.map(|m| m.0));
    let (x0, x1) = span(xs);
    let (_, y1) = span(left.points.iter().map(|q| q.1).chain([0.0]));
    let (_, z1) = span(right.points.iter().map(|q| q.1).chain([0.0]));
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&p.background).map_err(chart_error)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 18).into_font().color(&p.text))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(64)
            .right_y_label_area_size(64)
            .build_cartesian_2d(x0..x1, 0.0..y1 * 1.1)
            .map_err(chart_error)?
            .set_secondary_coord(x0..x1, 0.0..z1 * 1.1);
        chart
            .configure_mesh()
            .light_line_style(p.grid)
            .bold_line_style(p.grid)
            .axis_style(p.text)
            .label_style(("sans-serif", 12).into_font().color(&p.text))
            .x_desc("time (UTC)")
            .y_desc(left.axis)
            .x_labels(6)
            .x_label_formatter(&|x| time_label(*x))
            .draw()
            .map_err(chart_error)?;
        chart
            .configure_secondary_axes()
            .axis_style(p.text)
            .label_style(("sans-serif", 12).into_font().color(&p.text))
            .y_desc(right.axis)
            .draw()
            .map_err(chart_error)?;
        chart
            .draw_series(LineSeries::new(left.points, p.first.stroke_width(2)))
            .map_err(chart_error)?
            .label(left.legend)
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 16, y)], p.first.stroke_width(2)));
        chart
            .draw_secondary_series(LineSeries::new(right.points, p.second.stroke_width(2)))
            .map_err(chart_error)?
            .label(right.legend)
            .legend(move |(x, y)| {
                PathElement::new([(x, y), (x + 16, y)], p.second.stroke_width(2))
            });
        if let Some((x, label)) = mark {
            chart
                .draw_series(LineSeries::new(
                    [(x, 0.0), (x, y1 * 1.1)],
                    p.mark.stroke_width(2),
                ))
                .map_err(chart_error)?
                .label(label)
                .legend(move |(x, y)| {
                    PathElement::new([(x, y), (x + 16, y)], p.mark.stroke_width(2))
                });
        }
        legend(&mut chart, &p)?;
        root.present().map_err(chart_error)?;
    }
    Ok(svg)
}

/// One statement's mean time before and after a change.
#[derive(Debug, Clone)]
pub struct BeforeAfter {
    pub label: String,
    pub before_ms: f64,
    pub after_ms: f64,
}

/// Bars of each statement's mean time before and after the change.
pub fn before_after(title: &str, rows: &[BeforeAfter], theme: Theme) -> Result<String> {
    let p = theme.palette();
    let n = rows.len().max(1) as f64;
    let (_, top) = span(
        rows.iter()
            .flat_map(|r| [r.before_ms, r.after_ms])
            .chain([0.0]),
    );
    let labels: Vec<String> = rows
        .iter()
        .map(|r| r.label.chars().take(18).collect())
        .collect();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&p.background).map_err(chart_error)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 18).into_font().color(&p.text))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(64)
            .build_cartesian_2d(0.0..n, 0.0..top * 1.15)
            .map_err(chart_error)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(p.grid)
            .bold_line_style(p.grid)
            .axis_style(p.text)
            .label_style(("sans-serif", 12).into_font().color(&p.text))
            .x_desc("statement")
            .y_desc("mean time (ms)")
            .x_labels(rows.len().max(1) * 2 + 1)
            .x_label_formatter(&|x| {
                let i = x.floor();
                if (x - i - 0.5).abs() < 0.01 {
                    labels.get(index(i)).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .draw()
            .map_err(chart_error)?;
        chart
            .draw_series(rows.iter().enumerate().map(|(i, r)| {
                let x = i as f64;
                Rectangle::new([(x + 0.12, 0.0), (x + 0.48, r.before_ms)], p.first.filled())
            }))
            .map_err(chart_error)?
            .label("before")
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], p.first.filled()));
        chart
            .draw_series(rows.iter().enumerate().map(|(i, r)| {
                let x = i as f64;
                Rectangle::new([(x + 0.52, 0.0), (x + 0.88, r.after_ms)], p.second.filled())
            }))
            .map_err(chart_error)?
            .label("after")
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], p.second.filled()));
        legend(&mut chart, &p)?;
        root.present().map_err(chart_error)?;
    }
    Ok(svg)
}

/// A point of an index's history: when, size (bytes) and scans so far.
#[derive(Debug, Clone, Copy)]
pub struct IndexPoint {
    pub at: DateTime<Utc>,
    pub size_bytes: f64,
    pub scans: f64,
}

/// An index's size (left axis, MB) and scans (right axis) over time.
pub fn index_over_time(title: &str, points: &[IndexPoint], theme: Theme) -> Result<String> {
    let at = |q: &IndexPoint| q.at.timestamp() as f64;
    dual_axis(
        title,
        Line {
            axis: "size (MB)",
            legend: "size (MB)",
            points: points
                .iter()
                .map(|q| (at(q), q.size_bytes / 1_048_576.0))
                .collect(),
        },
        Line {
            axis: "index scans",
            legend: "scans",
            points: points.iter().map(|q| (at(q), q.scans)).collect(),
        },
        None,
        theme,
    )
}

/// A statement's mean time and calls per collected interval, with the change marked.
pub async fn statement_chart(
    pool: &sqlx::PgPool,
    queryid: i64,
    change_id: Option<i64>,
    theme: Theme,
) -> Result<String> {
    let rows: Vec<(DateTime<Utc>, f64, f64)> = sqlx::query_as(
        "SELECT /* indexpilot */ interval_end, (sum(total_exec_ms) / nullif(sum(calls), 0))::float8, sum(calls)::float8
         FROM indexpilot.query_stats
         WHERE source = 'pg_stat_statements' AND queryid = $1
         GROUP BY interval_end HAVING sum(calls) > 0 ORDER BY interval_end",
    )
    .bind(queryid)
    .fetch_all(pool)
    .await?;
    let points: Vec<StatementPoint> = rows
        .into_iter()
        .map(|(at, mean_ms, calls)| StatementPoint { at, mean_ms, calls })
        .collect();
    let change_at = match change_id {
        Some(id) => applied_at(pool, id).await?,
        None => None,
    };
    let title = statement_title(pool, queryid).await?;
    statement_over_time(&title, &points, change_at, theme)
}

/// Each counted statement's mean time before and after, from a judged experiment.
pub async fn experiment_chart(
    pool: &sqlx::PgPool,
    experiment_id: i64,
    theme: Theme,
) -> Result<String> {
    let (change_id, verdict): (i64, serde_json::Value) = sqlx::query_as(
        "SELECT /* indexpilot */ mutation_id, verdict_json FROM indexpilot.ab_experiments WHERE id = $1",
    )
    .bind(experiment_id)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| Error::NotFound {
        what: "experiment",
        name: experiment_id.to_string(),
    })?;
    let mut rows = Vec::new();
    for s in verdict["statements"].as_array().into_iter().flatten() {
        if s["counted"] != true {
            continue;
        }
        let queryid = s["queryid"].as_i64().unwrap_or(0);
        rows.push(BeforeAfter {
            label: statement_title(pool, queryid).await?,
            before_ms: s["mean_ms_before"].as_f64().unwrap_or(0.0),
            after_ms: s["mean_ms_after"].as_f64().unwrap_or(0.0),
        });
    }
    before_after(
        &format!("Change {change_id}: mean time before and after"),
        &rows,
        theme,
    )
}

/// The size and scans of the index a change created, as the collector saw them.
pub async fn index_chart(pool: &sqlx::PgPool, change_id: i64, theme: Theme) -> Result<String> {
    let change = super::log::load_pool(pool, change_id).await?;
    let rows: Vec<(DateTime<Utc>, i64, i64)> = sqlx::query_as(
        "SELECT /* indexpilot */ captured_at, size_bytes, idx_scan FROM indexpilot.index_stats
         WHERE index_schema = $1 AND index_name = $2 ORDER BY captured_at",
    )
    .bind(&change.schema)
    .bind(&change.index_name)
    .fetch_all(pool)
    .await?;
    let points: Vec<IndexPoint> = rows
        .into_iter()
        .map(|(at, size, scans)| IndexPoint {
            at,
            size_bytes: size as f64,
            scans: scans as f64,
        })
        .collect();
    index_over_time(
        &format!("{}.{}: size and scans", change.schema, change.index_name),
        &points,
        theme,
    )
}

async fn applied_at(pool: &sqlx::PgPool, change_id: i64) -> Result<Option<DateTime<Utc>>> {
    Ok(sqlx::query_scalar(
        "SELECT /* indexpilot */ max(occurred_at) FROM indexpilot.mutation_log WHERE parent_id = $1 AND status = 'applied'",
    )
    .bind(change_id)
    .fetch_one(pool)
    .await?)
}

/// The statement's text, shortened for a title or a label.
async fn statement_title(pool: &sqlx::PgPool, queryid: i64) -> Result<String> {
    let text: Option<String> = sqlx::query_scalar(
        "SELECT /* indexpilot */ query FROM indexpilot.statements WHERE queryid = $1",
    )
    .bind(queryid)
    .fetch_optional(pool)
    .await?;
    Ok(text
        .map(|t| {
            let one: String = t.split_whitespace().collect::<Vec<_>>().join(" ");
            one.chars().take(60).collect()
        })
        .unwrap_or_else(|| format!("statement {queryid}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(min: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_790_000_000 + min * 60, 0)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn charts_have_titles_and_axis_labels() {
        let points: Vec<StatementPoint> = (0..10)
            .map(|i| StatementPoint {
                at: at(i),
                mean_ms: if i < 5 { 12.0 } else { 2.0 },
                calls: 100.0 + i as f64,
            })
            .collect();
        for theme in [Theme::Light, Theme::Dark] {
            let svg = statement_over_time("SELECT … FROM deals", &points, Some(at(5)), theme)
                .unwrap_or_else(|e| panic!("{e}"));
            assert!(svg.starts_with("<svg"), "{svg}");
            for text in [
                "SELECT … FROM deals",
                "mean time (ms)",
                "calls per interval",
                "time (UTC)",
                "change applied",
            ] {
                assert!(svg.contains(text), "missing {text}");
            }
        }
        let rows = vec![
            BeforeAfter {
                label: "q1".into(),
                before_ms: 10.0,
                after_ms: 1.0,
            },
            BeforeAfter {
                label: "q2".into(),
                before_ms: 3.0,
                after_ms: 3.5,
            },
        ];
        let svg =
            before_after("Before and after", &rows, Theme::Dark).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            svg.contains("Before and after")
                && svg.contains("q1")
                && svg.contains("mean time (ms)")
        );
        let idx: Vec<IndexPoint> = (0..5)
            .map(|i| IndexPoint {
                at: at(i * 60),
                size_bytes: 1e6 * (i + 1) as f64,
                scans: (i * 10) as f64,
            })
            .collect();
        let svg = index_over_time("deals_stage_idx", &idx, Theme::Light)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(svg.contains("size (MB)") && svg.contains("index scans"));
        // Empty data still draws an empty, labelled chart.
        assert!(before_after("Nothing yet", &[], Theme::Light).is_ok());
    }
}
