//! Training: naive-Bayes-weighted logistic regression (NB-LR, after Wang
//! and Manning's NB-SVM) over hashed features, fitted with AdaGrad in a
//! fixed order, then Platt-calibrated and given a neutral band on a
//! separate calibration split. Deterministic: the same data and config give
//! the same model, bit for bit.

use vane_text::Seeded;

use crate::features::extract;
use crate::model::{LinearPart, length_norm};
use crate::{Label, Language, SentimentModel};

/// One labelled text.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub text: String,
    pub positive: bool,
    /// Where it comes from (the corpus's `source` column), for per-source figures.
    pub source: String,
}

/// The three disjoint parts of a labelled file.
#[derive(Debug, Clone)]
pub struct Split {
    pub train: Vec<Example>,
    /// For calibration and the neutral band only.
    pub calibration: Vec<Example>,
    /// Never trained or tuned on: accuracy is measured here.
    pub validation: Vec<Example>,
}

/// Shuffles with `seed` and cuts 80 % train, 10 % calibration, 10 % validation.
pub fn split(mut examples: Vec<Example>, seed: u64) -> Split {
    Seeded::new(seed).shuffle(&mut examples);
    let validation = examples.split_off(examples.len() - examples.len() / 10);
    let calibration = examples.split_off(examples.len() - examples.len() / 9);
    Split {
        train: examples,
        calibration,
        validation,
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrainingConfig {
    /// Polarity feature buckets: 2^bits.
    pub bits: u32,
    /// Objectivity feature buckets: 2^objectivity_bits.
    pub objectivity_bits: u32,
    pub epochs: usize,
    pub learning_rate: f32,
    pub l2: f32,
    /// Smoothing of the naive-Bayes ratios.
    pub alpha: f32,
    pub seed: u64,
    /// Share of the calibration texts (opinion) whose |score| is neutral.
    pub neutral_share: f32,
    /// Share of the tuning news paragraphs (fact) whose |score| is neutral.
    pub objective_share: f32,
}

impl TrainingConfig {
    /// The settings the committed models were trained with. Chinese gets
    /// 2^22 buckets: its characters, character pairs and triples and jieba
    /// words collide too often in 2^20 (measured: 0.842 → 0.870).
    pub fn for_language(language: Language) -> Self {
        let bits = match language {
            Language::Chinese => 22,
            Language::English => 20,
        };
        Self {
            bits,
            objectivity_bits: 18,
            epochs: 8,
            learning_rate: 0.2,
            l2: 1e-6,
            alpha: 1.0,
            seed: 2026,
            neutral_share: 0.1,
            objective_share: 0.75,
        }
    }
}

/// How many factual paragraphs are held out for the report, and used to
/// tune the objective band.
const NEWS_REPORTED: usize = 1000;
const NEWS_TUNING: usize = 1000;

/// What training measured.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainingReport {
    pub train_texts: usize,
    pub calibration_texts: usize,
    pub validation_texts: usize,
    /// Positive vs negative by the sign of the score, on the validation split.
    pub validation_accuracy: f64,
    /// Per source: (source, texts, accuracy) on the validation split.
    pub per_source: Vec<(String, usize, f64)>,
    pub neutral_band: f32,
    pub objective_band: f32,
    /// Labels of held-out factual paragraphs: (positive, neutral, negative).
    pub news_labels: (usize, usize, usize),
}

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

fn featurize(language: Language, texts: impl Iterator<Item = impl AsRef<str>>) -> Vec<Vec<u32>> {
    texts
        .map(|text| {
            let mut features = Vec::new();
            extract(language, text.as_ref(), &mut features);
            // in ascending order, as the committed models were fitted
            features.sort_unstable();
            features
        })
        .collect()
}

/// Naive-Bayes-weighted logistic regression: the log-count ratio of each
/// bucket scales its feature, AdaGrad fits the weights in a fixed shuffled
/// order; the result has the ratios folded in.
fn fit(examples: &[(&[u32], bool)], bits: u32, config: &TrainingConfig) -> Vec<f32> {
    let size = 1usize << bits;
    let mask = (1u32 << bits) - 1;
    let (mut positive, mut negative) = (vec![config.alpha; size], vec![config.alpha; size]);
    for (features, label) in examples {
        let counts = if *label { &mut positive } else { &mut negative };
        for &feature in *features {
            counts[(feature & mask) as usize] += 1.0;
        }
    }
    let positive_total: f64 = positive.iter().map(|&count| count as f64).sum();
    let negative_total: f64 = negative.iter().map(|&count| count as f64).sum();
    let ratios: Vec<f32> = positive
        .iter()
        .zip(&negative)
        .map(|(&p, &q)| {
            ((p as f64 / positive_total).ln() - (q as f64 / negative_total).ln()) as f32
        })
        .collect();
    let mut weights = vec![0f32; size];
    let mut squared = vec![0f32; size];
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut random = Seeded::new(config.seed);
    for _ in 0..config.epochs {
        random.shuffle(&mut order);
        for &index in &order {
            let (features, label) = examples[index];
            let norm = length_norm(features.len());
            let margin: f32 = features
                .iter()
                .map(|&feature| {
                    weights[(feature & mask) as usize] * ratios[(feature & mask) as usize]
                })
                .sum::<f32>()
                * norm;
            let error = sigmoid(margin) - if label { 1.0 } else { 0.0 };
            for &feature in features {
                let feature = (feature & mask) as usize;
                let gradient = error * ratios[feature] * norm + config.l2 * weights[feature];
                squared[feature] += gradient * gradient;
                weights[feature] -=
                    config.learning_rate * gradient / (squared[feature].sqrt() + 1e-6);
            }
        }
    }
    weights
        .iter()
        .zip(&ratios)
        .map(|(weight, ratio)| weight * ratio)
        .collect()
}

/// The value below which `share` of the values fall.
fn quantile(mut values: Vec<f32>, share: f32) -> f32 {
    values.sort_by(f32::total_cmp);
    let at = ((values.len() as f32 * share) as usize).min(values.len().saturating_sub(1));
    values.get(at).copied().unwrap_or(0.0)
}

/// Trains a model: polarity on the labelled split, objectivity on the
/// labelled texts (opinion) against `factual` texts (news paragraphs), then
/// calibrations and neutral bands. `factual` texts are shuffled with the
/// seed; 1,000 are held out for the report and 1,000 tune the objective band.
pub fn train(
    language: Language,
    split: &Split,
    factual: &[String],
    config: &TrainingConfig,
) -> (SentimentModel, TrainingReport) {
    let train_features = featurize(language, split.train.iter().map(|example| &example.text));
    let calibration_features = featurize(
        language,
        split.calibration.iter().map(|example| &example.text),
    );

    let labelled: Vec<(&[u32], bool)> = train_features
        .iter()
        .zip(&split.train)
        .map(|(features, example)| (features.as_slice(), example.positive))
        .collect();
    let weights = fit(&labelled, config.bits, config);
    let mut polarity = LinearPart {
        bits: config.bits,
        weights,
        scale: 1.0,
        shift: 0.0,
    };
    let margins: Vec<(f32, bool)> = calibration_features
        .iter()
        .zip(&split.calibration)
        .map(|(features, example)| (polarity.margin(features), example.positive))
        .collect();
    (polarity.scale, polarity.shift) = platt(&margins);
    let polarity = polarity.quantised();

    // objectivity: opinion (the labelled texts) against fact (news)
    let mut news: Vec<&String> = factual
        .iter()
        .filter(|text| text.chars().count() >= 20)
        .collect();
    Seeded::new(config.seed ^ 0x000B_1EC7).shuffle(&mut news);
    let reported: Vec<&String> = news.iter().take(NEWS_REPORTED).copied().collect();
    let tuning: Vec<&String> = news
        .iter()
        .skip(NEWS_REPORTED)
        .take(NEWS_TUNING)
        .copied()
        .collect();
    let news_train: Vec<&String> = news
        .iter()
        .skip(NEWS_REPORTED + NEWS_TUNING)
        .take(split.train.len())
        .copied()
        .collect();
    let news_train_features = featurize(language, news_train.iter());
    let mut objective_examples: Vec<(&[u32], bool)> = train_features
        .iter()
        .map(|features| (features.as_slice(), false))
        .collect();
    objective_examples.extend(
        news_train_features
            .iter()
            .map(|features| (features.as_slice(), true)),
    );
    let weights = fit(&objective_examples, config.objectivity_bits, config);
    let mut objectivity = LinearPart {
        bits: config.objectivity_bits,
        weights,
        scale: 1.0,
        shift: 0.0,
    };
    let tuning_features = featurize(language, tuning.iter());
    let mut objective_margins: Vec<(f32, bool)> = calibration_features
        .iter()
        .map(|features| (objectivity.margin(features), false))
        .collect();
    objective_margins.extend(
        tuning_features
            .iter()
            .map(|features| (objectivity.margin(features), true)),
    );
    (objectivity.scale, objectivity.shift) = platt(&objective_margins);
    let objectivity = objectivity.quantised();

    let certainty =
        |features: &[u32]| (2.0 * polarity.probability(polarity.margin(features)) - 1.0).abs();
    let neutral_band = quantile(
        calibration_features
            .iter()
            .map(|features| certainty(features))
            .collect(),
        config.neutral_share,
    );
    let objective_band = quantile(
        tuning_features
            .iter()
            .map(|features| certainty(features))
            .collect(),
        config.objective_share,
    )
    .max(neutral_band);
    let model = SentimentModel {
        language,
        polarity,
        objectivity,
        neutral_band,
        objective_band,
    };

    let mut news_labels = (0, 0, 0);
    for text in &reported {
        match model.score(text).label {
            Label::Positive => news_labels.0 += 1,
            Label::Neutral => news_labels.1 += 1,
            Label::Negative => news_labels.2 += 1,
        }
    }
    let mut report = validate(&model, split);
    report.news_labels = news_labels;
    (model, report)
}

/// Fits P(positive) = σ(a·margin + b) on the log loss with Platt's
/// smoothed targets: gradient descent with backtracking on margins scaled
/// to unit spread, which stays stable when the training data is nearly
/// separable (long texts give large margins).
fn platt(margins: &[(f32, bool)]) -> (f32, f32) {
    if margins.is_empty() {
        return (1.0, 0.0);
    }
    let positives = margins.iter().filter(|(_, positive)| *positive).count() as f64;
    let negatives = margins.len() as f64 - positives;
    let high = (positives + 1.0) / (positives + 2.0);
    let low = 1.0 / (negatives + 2.0);
    let spread = (margins
        .iter()
        .map(|&(margin, _)| (margin as f64).powi(2))
        .sum::<f64>()
        / margins.len() as f64)
        .sqrt()
        .max(1e-6);
    let loss = |a: f64, b: f64| -> f64 {
        margins
            .iter()
            .map(|&(margin, positive)| {
                let target = if positive { high } else { low };
                let z = a * margin as f64 / spread + b;
                // log(1 + e^z) − target·z, computed stably
                let softplus = if z > 0.0 {
                    z + (-z).exp().ln_1p()
                } else {
                    z.exp().ln_1p()
                };
                softplus - target * z
            })
            .sum::<f64>()
            / margins.len() as f64
    };
    let (mut a, mut b) = (1.0f64, 0.0f64);
    let mut current = loss(a, b);
    let mut step = 1.0;
    for _ in 0..500 {
        let (mut gradient_a, mut gradient_b) = (0.0, 0.0);
        for &(margin, positive) in margins {
            let x = margin as f64 / spread;
            let target = if positive { high } else { low };
            let difference = 1.0 / (1.0 + (-(a * x + b)).exp()) - target;
            gradient_a += difference * x;
            gradient_b += difference;
        }
        gradient_a /= margins.len() as f64;
        gradient_b /= margins.len() as f64;
        if gradient_a.abs() + gradient_b.abs() < 1e-9 {
            break;
        }
        loop {
            let (next_a, next_b) = (a - step * gradient_a, b - step * gradient_b);
            let next = loss(next_a, next_b);
            if next <= current {
                (a, b, current) = (next_a, next_b, next);
                step *= 1.5;
                break;
            }
            step /= 2.0;
            if step < 1e-12 {
                break;
            }
        }
    }
    ((a / spread) as f32, b as f32)
}

/// Accuracy by the sign of the score on the validation split, overall and
/// per source.
fn validate(model: &SentimentModel, split: &Split) -> TrainingReport {
    let mut per_source: Vec<(String, usize, usize)> = Vec::new();
    let mut correct = 0;
    for example in &split.validation {
        let right = (model.score(&example.text).score > 0.0) == example.positive;
        correct += usize::from(right);
        match per_source
            .iter_mut()
            .find(|(source, _, _)| *source == example.source)
        {
            Some(entry) => {
                entry.1 += 1;
                entry.2 += usize::from(right);
            }
            None => per_source.push((example.source.clone(), 1, usize::from(right))),
        }
    }
    per_source.sort();
    TrainingReport {
        train_texts: split.train.len(),
        calibration_texts: split.calibration.len(),
        validation_texts: split.validation.len(),
        validation_accuracy: correct as f64 / split.validation.len().max(1) as f64,
        per_source: per_source
            .into_iter()
            .map(|(source, texts, right)| (source, texts, right as f64 / texts as f64))
            .collect(),
        neutral_band: model.neutral_band,
        objective_band: model.objective_band,
        news_labels: (0, 0, 0),
    }
}
