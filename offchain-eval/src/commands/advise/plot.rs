//! Line charts of the advisors' figures, written as SVG (any browser shows one;
//! `rsvg-convert -o plot.png plot.svg` turns it into a PNG).

use std::path::{Path, PathBuf};

use plotters::{
	coord::{ranged1d::ValueFormatter, types::RangedCoordf64, Shift},
	prelude::*,
};

/// One line of a chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
	/// Its name in the legend.
	pub name: String,
	/// Its points, `(x, y)` (`x > 0` on a logarithmic axis).
	pub points: Vec<(f64, f64)>,
}

/// How the x axis is scaled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum XAxis {
	/// Logarithmic: every `x` must be above 0.
	Log,
	/// Linear.
	Linear,
}

/// A horizontal band of the chart, shaded behind the lines and named in the legend.
#[derive(Clone, Debug, PartialEq)]
pub struct Band {
	/// Its name in the legend.
	pub name: String,
	/// Its lower edge (`y`).
	pub from: f64,
	/// Its upper edge (`y`), clipped to the chart.
	pub to: f64,
	/// Its colour, `(r, g, b)`.
	pub rgb: (u8, u8, u8),
}

/// A line chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
	/// The caption.
	pub title: String,
	/// The x axis' label.
	pub x_label: String,
	/// The y axis' label.
	pub y_label: String,
	/// How the x axis is scaled.
	pub x_axis: XAxis,
	/// Bands behind the lines.
	pub bands: Vec<Band>,
	/// The lines.
	pub series: Vec<Series>,
}

/// Why a chart was not written.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
	/// The file name does not end in `.svg`.
	#[error("{0}: a plot is written as .svg (convert it to PNG with `rsvg-convert -o plot.png plot.svg`)")]
	Format(PathBuf),
	/// Nothing to draw: every series is empty.
	#[error("nothing to plot: no series has a point")]
	Empty,
	/// Drawing or writing the file failed.
	#[error("drawing {path}: {source}")]
	Draw {
		/// The file.
		path: PathBuf,
		/// What went wrong.
		source: DrawingAreaErrorKind<std::io::Error>,
	},
}

/// Check that a chart can be written to `path` (an `.svg` file, in either case), before the
/// work of computing it.
pub fn check_path(path: &Path) -> Result<(), PlotError> {
	match path.extension().and_then(|e| e.to_str()) {
		Some(extension) if extension.eq_ignore_ascii_case("svg") => Ok(()),
		_ => Err(PlotError::Format(path.to_owned())),
	}
}

/// Write `chart` to the SVG file `path`, 900 x 560.
pub fn write(chart: &Chart, path: &Path) -> Result<(), PlotError> {
	check_path(path)?;
	let points = chart.series.iter().flat_map(|s| s.points.iter().copied());
	let range = points.fold(None, |range, (x, y)| {
		let (lo, hi, top) = range.unwrap_or((x, x, y));
		Some((f64::min(lo, x), f64::max(hi, x), f64::max(top, y)))
	});
	let range = range.ok_or(PlotError::Empty)?;
	draw(chart, range, SVGBackend::new(path, (900, 560)).into_drawing_area())
		.map_err(|source| PlotError::Draw { path: path.to_owned(), source })
}

/// Draw `chart` on `root`, the x axis over `x_min..x_max` and the y axis from 0 to `y_max`
/// (with margins).
fn draw<DB: DrawingBackend>(
	chart: &Chart,
	(x_min, x_max, y_max): (f64, f64, f64),
	root: DrawingArea<DB, Shift>,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
	root.fill(&WHITE)?;
	let y_range = 0.0..(y_max * 1.1).max(1.0);
	let mut builder = ChartBuilder::on(&root);
	builder
		.caption(&chart.title, ("sans-serif", 22))
		.margin(20)
		.x_label_area_size(50)
		.y_label_area_size(70);
	match chart.x_axis {
		XAxis::Log => {
			let plot =
				builder.build_cartesian_2d((x_min * 0.8..x_max * 1.25).log_scale(), y_range)?;
			draw_on(chart, plot, (x_min * 0.8, x_max * 1.25))?;
		}
		XAxis::Linear => {
			let margin = ((x_max - x_min) * 0.05).max(0.5);
			let (from, to) = (x_min - margin, x_max + margin);
			draw_on(chart, builder.build_cartesian_2d(from..to, y_range)?, (from, to))?;
		}
	}
	root.present()
}

/// Draw the bands, lines and legend of `chart` on `plot`, whose x axis spans `x_span`.
fn draw_on<'a, DB: DrawingBackend + 'a, X>(
	chart: &Chart,
	mut plot: ChartContext<'a, DB, Cartesian2d<X, RangedCoordf64>>,
	(x_from, x_to): (f64, f64),
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>>
where
	X: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
	plot.configure_mesh().x_desc(&chart.x_label).y_desc(&chart.y_label).draw()?;
	let y_top = plot.y_range().end;
	for band in &chart.bands {
		let (r, g, b) = band.rgb;
		let color = RGBColor(r, g, b).mix(0.25);
		let area = [(x_from, band.from.max(0.0)), (x_to, band.to.min(y_top))];
		plot.draw_series(std::iter::once(Rectangle::new(area, color.filled())))?
			.label(band.name.as_str())
			.legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 20, y + 5)], color.filled()));
	}
	for (i, series) in chart.series.iter().enumerate() {
		let color = Palette99::pick(i).to_rgba();
		plot.draw_series(LineSeries::new(series.points.iter().copied(), color.stroke_width(2)))?
			.label(series.name.as_str())
			.legend(move |(x, y)| {
				PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
			});
		plot.draw_series(series.points.iter().map(|&p| Circle::new(p, 4, color.filled())))?;
	}
	plot.configure_series_labels().background_style(WHITE.mix(0.85)).border_style(BLACK).draw()
}

#[cfg(test)]
mod tests {
	use super::*;

	fn chart(points: Vec<(f64, f64)>) -> Chart {
		Chart {
			title: "time to the top".into(),
			x_label: "improvement".into(),
			y_label: "hours".into(),
			x_axis: XAxis::Log,
			bands: Vec::new(),
			series: vec![Series { name: "fixed:0.001".into(), points }],
		}
	}

	#[test]
	fn a_chart_is_written_as_svg_with_its_legend() {
		let dir = tempfile::tempdir().expect("temp dir");
		let svg = dir.path().join("advice.SVG");
		write(&chart(vec![(0.0005, 30.0), (0.001, 10.0), (0.002, 1.0)]), &svg).expect("svg");
		let text = std::fs::read_to_string(&svg).expect("read");
		assert!(text.starts_with("<svg") && text.contains("fixed:0.001"), "{text:.200}");
		assert!(text.contains("<polyline") || text.contains("<path"), "a line is drawn");
	}

	#[test]
	fn a_linear_chart_draws_its_bands_in_the_legend() {
		let dir = tempfile::tempdir().expect("temp dir");
		let svg = dir.path().join("interval.svg");
		let mut linear = chart(vec![(0.0, 1.2), (5.0, 0.7), (10.0, 0.6)]);
		linear.x_axis = XAxis::Linear;
		linear.bands =
			vec![Band { name: "copying pays".into(), from: 1.0, to: 10.0, rgb: (220, 60, 60) }];
		write(&linear, &svg).expect("svg");
		let text = std::fs::read_to_string(&svg).expect("read");
		assert!(text.contains("copying pays") && text.contains("fixed:0.001"), "{text:.300}");
	}

	#[test]
	fn other_formats_and_empty_charts_are_refused_and_write_nothing() {
		let dir = tempfile::tempdir().expect("temp dir");
		for name in ["advice.png", "advice.jpg", "advice"] {
			let path = dir.path().join(name);
			assert!(matches!(write(&chart(vec![(1.0, 1.0)]), &path), Err(PlotError::Format(_))));
			assert!(!path.exists());
		}
		let svg = dir.path().join("empty.svg");
		assert!(matches!(write(&chart(vec![]), &svg), Err(PlotError::Empty)));
		assert!(!svg.exists());
	}
}
