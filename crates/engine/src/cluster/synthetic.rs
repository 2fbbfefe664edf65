//! A deterministic synthetic news stream for throughput tests: many stories (each with its
//! own invented names, places and figures over a shared topic vocabulary), reported by
//! independent articles, verbatim copies and synonym-spun rewrites, interleaved in time.

use chrono::{Duration, NaiveDate};

use crate::analyze::signature::mix;
use crate::record::Article;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(1);
        mix(self.0)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const SYLLABLES: &[&str] = &[
    "ka", "lo", "mi", "ra", "ten", "vor", "sa", "du", "bel", "nik", "or", "ta", "zan", "pe", "gri",
    "hal", "mu", "sen", "dro", "vi",
];
const TOPIC: &[&str] = &[
    "earthquake",
    "election",
    "strike",
    "flood",
    "trial",
    "merger",
    "protest",
    "fire",
    "summit",
    "arrest",
    "storm",
    "crash",
    "vote",
    "deal",
    "outbreak",
    "attack",
];
const FILLER: &[(&str, &str)] = &[
    ("said", "stated"),
    ("officials", "authorities"),
    ("quickly", "rapidly"),
    ("large", "big"),
    ("residents", "locals"),
    ("began", "started"),
    ("reported", "announced"),
    ("damage", "destruction"),
    ("police", "officers"),
    ("city", "town"),
    ("government", "administration"),
    ("help", "assistance"),
];

fn name(rng: &mut Rng) -> String {
    let n = 2 + rng.below(2);
    let mut s: String = (0..n)
        .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
        .collect();
    if let Some(f) = s.get(..1) {
        s = f.to_uppercase() + s.get(1..).unwrap_or("");
    }
    s
}

struct Event {
    topic: &'static str,
    people: Vec<String>,
    place: String,
    figure: u32,
}

fn sentence(rng: &mut Rng, e: &Event) -> String {
    let f = |rng: &mut Rng| FILLER[rng.below(FILLER.len())].0;
    let p = &e.people[rng.below(e.people.len())];
    match rng.below(4) {
        0 => format!(
            "The {} in {} left {} people in need of {}, {} {}.",
            e.topic,
            e.place,
            e.figure,
            f(rng),
            f(rng),
            p
        ),
        1 => format!(
            "{p} {} that the {} {} after {} hours near {}.",
            f(rng),
            e.topic,
            f(rng),
            e.figure % 48,
            e.place
        ),
        2 => format!(
            "Local {} in {} {} the {} {} while {} {} more {}.",
            f(rng),
            e.place,
            f(rng),
            e.topic,
            f(rng),
            p,
            f(rng),
            f(rng)
        ),
        _ => format!(
            "{} and {p} met in {} to discuss the {} and its {}.",
            e.people[0],
            e.place,
            e.topic,
            f(rng)
        ),
    }
}

fn spin(text: &str) -> String {
    let mut out = text.to_string();
    for (a, b) in FILLER {
        out = out.replace(&format!(" {a} "), &format!(" {b} "));
    }
    out
}

/// `n` articles over about `n / 8` stories: 60 % independent reports, 25 % copies (with a
/// changed last sentence), 15 % spun rewrites; dated within a few days of their story.
pub fn synthetic_stream(n: usize, seed: u64) -> Vec<Article> {
    synthetic_labelled(n, seed)
        .into_iter()
        .map(|(a, _)| a)
        .collect()
}

/// [`synthetic_stream`] with the story index each article was generated from.
pub fn synthetic_labelled(n: usize, seed: u64) -> Vec<(Article, usize)> {
    let mut rng = Rng(mix(seed));
    let stories = (n / 8).max(1);
    let base = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default();
    let events: Vec<Event> = (0..stories)
        .map(|_| Event {
            topic: TOPIC[rng.below(TOPIC.len())],
            people: (0..3)
                .map(|_| format!("{} {}", name(&mut rng), name(&mut rng)))
                .collect(),
            place: name(&mut rng),
            figure: 10 + rng.below(5000) as u32,
        })
        .collect();
    let mut per_story: Vec<Vec<usize>> = vec![Vec::new(); stories];
    let mut out: Vec<Article> = Vec::with_capacity(n);
    let mut labels = Vec::with_capacity(n);
    for i in 0..n {
        // Stories open in sequence and stay active for a while: a sliding window of events.
        let window = 40.min(stories);
        let s = (i * stories / n.max(1) + rng.below(window)).min(stories - 1);
        let e = &events[s];
        let roll = rng.below(100);
        let text = match per_story[s].last() {
            Some(&src) if roll < 25 => {
                let t = &out[src].raw;
                let cut = t.rfind(". ").map_or(t.len(), |c| c + 1);
                format!("{} {}", t.get(..cut).unwrap_or(t), sentence(&mut rng, e))
            }
            Some(&src) if roll < 40 => spin(&out[src].raw),
            _ => (0..8 + rng.below(10))
                .map(|_| sentence(&mut rng, e))
                .collect::<Vec<_>>()
                .join(" "),
        };
        let mut a = Article::new(format!("syn-{i}"), text);
        a.date = Some(base + Duration::days((s / 4) as i64 + rng.below(3) as i64));
        a.source = Some(format!("outlet-{}", rng.below(50)));
        per_story[s].push(i);
        out.push(a);
        labels.push(s);
    }
    out.into_iter().zip(labels).collect()
}
