//! The reveal-interval advisor on synthetic subnets: a copier of stale consensus loses more the
//! older its copy on a subnet whose miners turn over, loses nothing on one whose miners never
//! change, and with no commit-reveal copies at least as well as the median honest validator.

use galton_engine::{
	interval_advice::{
		advise, AdviceError, CopierSettings, CopierStake, Mode, Recommendation, Regime,
	},
	metagraph::History,
	synthetic_subnet::{generate, SyntheticSpec},
};
use galton_yuma::Hyperparameters;

fn settings(mode: Mode) -> CopierSettings {
	CopierSettings {
		params: Hyperparameters::default(),
		mode,
		stake: CopierStake::MedianValidator,
		average_over: 10,
	}
}

fn subnet(turnover: f64, drift: f64) -> History {
	generate(&SyntheticSpec {
		miners: 24,
		validators: 6,
		turnover,
		drift,
		noise: 0.02,
		epochs: 60,
		tempo: 100,
		seed: 3,
	})
}

fn gains(history: &History, mode: Mode, intervals: &[u32]) -> Vec<f64> {
	let advice = advise(history, &settings(mode), intervals, 0.18, &|_| {}).expect("advice");
	advice.intervals.iter().map(|g| g.gain.expect("the copier earns something")).collect()
}

#[test]
fn with_turnover_g_falls_as_the_interval_grows_then_levels_off() {
	let history = subnet(0.3, 0.05);
	let g = gains(&history, Mode::Chain, &[0, 1, 2, 4, 8, 12, 16]);
	assert!(g[0] >= 1.0, "a current copy does at least as well as the median: {g:?}");
	assert!(g[0] > g[2] && g[2] > g[4], "older copies earn less: {g:?}");
	let (early, late) = (g[0] - g[4], (g[5] - g[6]).abs());
	assert!(late < early / 2.0, "the curve flattens: {g:?}");
}

#[test]
fn without_turnover_or_drift_g_stays_near_one() {
	let history = subnet(0.0, 0.0);
	for mode in [Mode::Chain, Mode::Otf2024] {
		let g = gains(&history, mode, &[0, 2, 8]);
		assert!(g.iter().all(|g| (g - 1.0).abs() < 0.1), "{mode:?}: {g:?}");
	}
}

#[test]
fn the_recommendation_is_the_smallest_interval_where_copying_stops_paying() {
	let history = subnet(0.3, 0.05);
	let advice =
		advise(&history, &settings(Mode::Chain), &[8, 0, 4, 2, 4], 0.18, &|_| {}).expect("advice");
	let tried: Vec<u32> = advice.intervals.iter().map(|g| g.interval).collect();
	assert_eq!(tried, [0, 2, 4, 8], "sorted, without repeats");
	let expected =
		advice.intervals.iter().find(|g| g.regime == Some(Regime::DoesNotPay)).or_else(|| {
			advice.intervals.iter().find(|g| g.regime == Some(Regime::LosesNominators))
		});
	match (&advice.recommendation, expected) {
		(Recommendation::Interval { interval, immunity_increase_blocks, .. }, Some(g)) => {
			assert_eq!(*interval, g.interval);
			assert_eq!(*immunity_increase_blocks, u64::from(g.interval) * 100);
		}
		(Recommendation::NoIntervalHelps, None) => {}
		(other, expected) => panic!("{other:?} for {expected:?}"),
	}
}

#[test]
fn regimes_follow_the_take() {
	assert_eq!(Regime::of(1.01, 0.18), Regime::CopyingPays);
	assert_eq!(Regime::of(1.0, 0.18), Regime::LosesNominators);
	assert_eq!(Regime::of(0.83, 0.18), Regime::LosesNominators);
	assert_eq!(Regime::of(0.82, 0.18), Regime::DoesNotPay);
}

#[test]
fn bad_settings_are_refused() {
	let history = subnet(0.1, 0.01);
	let refuse =
		|settings: CopierSettings, take: f64| advise(&history, &settings, &[0, 1], take, &|_| {});
	for fraction in [0.0, 1.0, -0.5, f64::NAN] {
		let bad =
			CopierSettings { stake: CopierStake::Fraction(fraction), ..settings(Mode::Chain) };
		assert!(matches!(refuse(bad, 0.18), Err(AdviceError::Fraction(_))), "{fraction}");
	}
	let never = CopierSettings { average_over: 0, ..settings(Mode::Chain) };
	assert!(matches!(refuse(never, 0.18), Err(AdviceError::Average)));
	assert!(matches!(refuse(settings(Mode::Chain), 1.0), Err(AdviceError::Take(_))));
	assert!(matches!(
		advise(&History::default(), &settings(Mode::Chain), &[0], 0.18, &|_| {}),
		Err(AdviceError::History(_))
	));
}
