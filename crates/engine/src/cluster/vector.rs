//! Article term vectors for clustering: interned terms with online document frequencies,
//! sublinear TF × IDF, extra weight for entity-like words and numbers, top terms only.

use super::ClusterConfig;
use crate::analyze::signature::{self, FastMap, StrMap, StrSet};
use crate::record::{Analyzed, Article};
use crate::text;

/// Interned terms and their online document frequencies.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Vocabulary {
    ids: FastMap<String, u32>,
    names: Vec<String>,
    df: Vec<u32>,
    docs: u32,
    /// Exponent applied to the IDF (above 1 favours rarer terms).
    pub idf_power: f32,
}

/// An article's vector: `(term, weight)` by weight descending, unit L2 norm under the IDF
/// at the time it was made; `idfs` keeps that IDF (in the same order) so the IDF-free
/// weight can be recovered.
#[derive(Debug, Clone, Default)]
pub struct ArticleVector {
    /// `(term id, weight)`, highest weight first.
    pub terms: Vec<(u32, f32)>,
    /// The IDF of each term when the vector was made.
    pub idfs: Vec<f32>,
    /// The article's most repeated entity-like terms (by count, not IDF): what it is about
    /// even when the stream is young and its names are not yet rare.
    pub keys: Vec<u32>,
}

impl ArticleVector {
    /// The IDF-free weight of the `k`-th term (what a story centroid accumulates).
    pub fn raw(&self, k: usize) -> f32 {
        let w = self.terms.get(k).map_or(0.0, |x| x.1);
        w / self.idfs.get(k).copied().unwrap_or(1.0).max(1e-6)
    }
}

impl Vocabulary {
    fn intern(&mut self, term: &str) -> u32 {
        if let Some(&id) = self.ids.get(term) {
            return id;
        }
        let id = self.names.len() as u32;
        self.ids.insert(term.to_string(), id);
        self.names.push(term.to_string());
        self.df.push(0);
        id
    }

    /// Number of documents counted so far.
    pub fn docs(&self) -> u32 {
        self.docs
    }

    /// Number of documents counted so far that have term `t`.
    pub fn df(&self, t: u32) -> u32 {
        self.df.get(t as usize).copied().unwrap_or(0)
    }

    /// The text of term `t`.
    pub fn name(&self, t: u32) -> &str {
        self.names.get(t as usize).map_or("", String::as_str)
    }

    /// Current inverse document frequency of term `t`: `ln(1 + N / df)^idf_power`.
    pub fn idf(&self, t: u32) -> f32 {
        let df = self.df.get(t as usize).copied().unwrap_or(0).max(1);
        let idf = (1.0 + self.docs.max(1) as f32 / df as f32).ln();
        if self.idf_power == 1.0 {
            idf
        } else {
            idf.powf(self.idf_power)
        }
    }

    /// Counts the article in the document frequencies and returns its vector.
    pub fn vectorize(
        &mut self,
        article: &Article,
        analyzed: &Analyzed,
        config: &ClusterConfig,
    ) -> ArticleVector {
        self.vectorize_features(&Features::of(article, analyzed, config), config)
    }

    /// Counts precomputed features in the document frequencies and returns their vector:
    /// the only part of vectorizing that needs the stream's state (term ids and IDF).
    pub fn vectorize_features(&mut self, f: &Features, config: &ClusterConfig) -> ArticleVector {
        // Terms are interned in the order the article first mentions them (`Features`
        // keeps that order), so ids, and every tie broken by id, match a direct vectorize.
        let ids: Vec<u32> = f.terms.iter().map(|x| self.intern(&x.term)).collect();
        self.docs += 1;
        for &t in &ids {
            self.df[t as usize] += 1;
        }
        let mut keys: Vec<(u32, f32)> =
            ids.iter().zip(&f.terms).filter(|(_, x)| x.named).map(|(&t, x)| (t, x.tf)).collect();
        keys.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let keys: Vec<u32> = keys.into_iter().take(config.key_terms).map(|k| k.0).collect();
        let mut terms: Vec<(u32, f32)> = ids
            .iter()
            .zip(&f.terms)
            .map(|(&t, x)| (t, (1.0 + x.tf.ln()) * x.mult * self.idf(t)))
            .collect();
        terms.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        terms.truncate(config.article_terms);
        let norm = terms.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt().max(1e-6);
        for x in &mut terms {
            x.1 /= norm;
        }
        let idfs = terms.iter().map(|&(t, _)| self.idf(t)).collect();
        ArticleVector { terms, idfs, keys }
    }
}

/// One distinct term of an article's [`Features`].
#[derive(Debug, Clone)]
struct FeatureTerm {
    term: String,
    /// Count in the text, plus the lead and title boosts.
    tf: f32,
    /// Weight multiplier: `number_weight`, `entity_weight` or 1.
    mult: f32,
    /// Whether the term is a word of a named person, organisation or place (a key candidate).
    named: bool,
}

/// What clustering reads of one article before any stream state is involved: its distinct
/// terms with counts, weight multipliers and whether they name someone. Computing this is
/// most of vectorizing (tokenizing, stemming, entity tests) and needs nothing but the
/// article, so a streaming run computes it in parallel and the sequential assignment only
/// interns terms and applies the IDF ([`Vocabulary::vectorize_features`]).
#[derive(Debug, Clone, Default)]
pub struct Features {
    /// Distinct terms in the order the article first mentions them (body, lead, title).
    terms: Vec<FeatureTerm>,
}

impl Features {
    /// The features of an analyzed article under `config`'s weights.
    pub fn of(article: &Article, analyzed: &Analyzed, config: &ClusterConfig) -> Features {
        let own;
        let counted = if analyzed.terms.is_empty() {
            own = signature::term_counts(&article.raw);
            &own
        } else {
            &analyzed.terms
        };
        // Looked up only (the order is `tf`'s), so the string hasher is the faster one.
        let mut slot: StrMap<String, usize> = StrMap::default();
        slot.reserve(counted.len());
        let mut tf: Vec<(String, f32)> = Vec::with_capacity(counted.len());
        // Sums in the order one map of counts would: body, then lead, then title.
        let mut add = |term: &str, n: f32| match slot.get(term) {
            Some(&i) => tf[i].1 += n,
            None => {
                slot.insert(term.to_string(), tf.len());
                tf.push((term.to_string(), n));
            }
        };
        for (term, n) in counted {
            add(term, *n as f32);
        }
        let toks = text::tokens(&article.raw);
        let cut =
            toks.get(config.lead_words.min(toks.len()).saturating_sub(1)).map_or(0, |t| t.span.end);
        text::for_each_content_term(article.raw.get(..cut).unwrap_or(""), |term| {
            add(term, config.lead_boost);
        });
        if let Some(title) = &article.title {
            text::for_each_content_term(title, |term| add(term, 1.0));
        }
        let (entities, numbers) = salient_words(&article.raw, &toks, analyzed);
        let named = mention_terms(analyzed);
        let terms = tf
            .into_iter()
            .map(|(term, tf)| {
                let mult = if numbers.contains(&term) {
                    config.number_weight
                } else if entities.contains(&term) {
                    config.entity_weight
                } else {
                    1.0
                };
                FeatureTerm { named: named.contains(&term), term, tf, mult }
            })
            .collect();
        Features { terms }
    }
}

/// Terms of entity-like words (capitalised, not sentence-initial, or inside a mention) and
/// of numbers in `raw` (`toks` are its tokens).
fn salient_words(
    raw: &str,
    toks: &[text::Token<'_>],
    analyzed: &Analyzed,
) -> (StrSet<String>, StrSet<String>) {
    // Distinct surface forms first: stemming each once is most of the cost here. The sets
    // are only looked up, so they take the string hasher.
    let mut names: StrSet<&str> = StrSet::default();
    let mut numbers = StrSet::default();
    for tok in toks {
        let first = tok.text.chars().next().unwrap_or(' ');
        if first.is_ascii_digit() {
            numbers.insert(text::term(tok.text));
        } else if first.is_uppercase() && !sentence_initial(raw, tok.span.start) {
            names.insert(tok.text);
        }
    }
    let mut entities: StrSet<String> = names.into_iter().map(text::term).collect();
    for m in &analyzed.mentions {
        for tok in text::tokens(&m.text) {
            entities.insert(text::term(tok.text));
        }
    }
    (entities, numbers)
}

/// Terms of the words of the article's named people, organisations and places (what the
/// NER found; not dates or other capitalised words).
fn mention_terms(analyzed: &Analyzed) -> StrSet<String> {
    analyzed
        .mentions
        .iter()
        .filter(|m| m.kind != crate::record::EntityKind::Misc)
        .flat_map(|m| text::tokens(&m.text).into_iter().map(|t| text::term(t.text)))
        .filter(|t| t.chars().count() > 2)
        .collect()
}

fn sentence_initial(raw: &str, pos: usize) -> bool {
    let before = raw.get(..pos).unwrap_or("");
    match before
        .chars()
        .rev()
        .find(|c| !c.is_whitespace() && !matches!(c, '"' | '“' | '‘' | '\'' | '('))
    {
        None => true,
        Some(c) => matches!(c, '.' | '!' | '?' | ':' | '—' | '-' | '•'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities_skip_sentence_starts() {
        let raw = "The army left Damascus. Rebels took Homs on December 8 with 1,500 men.";
        let (e, n) = salient_words(raw, &text::tokens(raw), &Analyzed::default());
        let mut e: Vec<_> = e.into_iter().collect();
        e.sort();
        assert_eq!(e, ["damascus", "decemb", "hom"]);
        let mut n: Vec<_> = n.into_iter().collect();
        n.sort();
        assert_eq!(n, ["1,500", "8"]);
    }

    #[test]
    fn vectors_are_unit_and_capped() {
        let mut v = Vocabulary::default();
        let cfg = ClusterConfig { article_terms: 3, ..ClusterConfig::default() };
        let a = Article::new(
            "a",
            "Quakes shook Lima twice; the quake damaged homes in Lima and Callao.",
        );
        let av = v.vectorize(&a, &Analyzed::default(), &cfg);
        assert_eq!(av.terms.len(), 3);
        let norm: f32 = av.terms.iter().map(|x| x.1 * x.1).sum();
        assert!((norm - 1.0).abs() < 1e-4);
        assert_eq!(v.name(av.terms[0].0), "lima");
    }
}
