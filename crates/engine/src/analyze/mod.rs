//! The analyze stage: reads one repaired article into an [`Analyzed`] record — language,
//! sentences, entity mentions, quotes, time expressions, MinHash signature and term counts.
//! Each extractor is its own module; this file only calls them in order, as deep as the
//! run's [`Depth`] asks.

pub mod entity;
pub mod language;
pub mod quote;
pub mod sentence;
pub mod signature;
pub mod time;

use crate::record::{Analyzed, Article, Repaired};

/// How much of an article the analysis reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Depth {
    /// Everything every later stage reads.
    #[default]
    Full,
    /// What clustering and derivation read, and nothing more (`chorus run --stories-only`):
    /// language, sentences, entity mentions (salient words of clustering, entities of the
    /// story), direct-quote contents (derivation aligns the words around them), signature
    /// and term counts. No time expressions, no indirect quotes, no speakers or role
    /// introductions: only synthesis reads those. Every field that is kept holds what
    /// [`Depth::Full`] gives it; the quotes are its direct ones, without speakers
    /// ([`quote::direct`]).
    Stories,
}

/// Analyzes one repaired article. `article.date` anchors relative time expressions.
pub fn analyze(article: &Article, repaired: &Repaired) -> Analyzed {
    analyze_to(article, repaired, Depth::Full)
}

/// [`analyze`] to the given depth.
pub fn analyze_to(article: &Article, repaired: &Repaired, depth: Depth) -> Analyzed {
    let text = repaired.text.as_str();
    let sentences = sentence::split(text);
    let mentions = entity::extract(text, &sentences);
    let language = language::detect(text);
    let (signature, terms) = signature::minhash_and_terms(text);
    let (quotes, times, roles) = match depth {
        Depth::Full => {
            let (quotes, roles) = quote::extract_with_roles(text, &sentences, &mentions);
            (quotes, time::extract_in(text, article.date, &language), Some(roles))
        }
        Depth::Stories => (quote::direct(text), Vec::new(), None),
    };
    Analyzed { language, signature, terms, sentences, mentions, quotes, times, roles }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::synthetic::synthetic_stream;

    #[test]
    fn the_stories_depth_keeps_what_it_keeps_as_the_full_one_gives_it() {
        // The example corpus (quotes of every shape, damage, a translation), a synthetic
        // stream, and one text with direct, continued and indirect quotes.
        let corpus = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../examples/corpus/articles.jsonl");
        let mut articles = crate::ingest::read_inputs(&[corpus]).articles;
        assert!(articles.len() > 10);
        articles.extend(synthetic_stream(60, 11));
        articles.push(Article::new(
            "q",
            "“We will rebuild the pier,” said Mayor Ana Ruiz on Monday, “and soon.” She said \
             that the work would start in May. According to the council, “costs are rising”.",
        ));
        for a in &articles {
            let r = crate::repair::repair(&a.raw);
            let full = analyze(a, &r);
            let light = analyze_to(a, &r, Depth::Stories);
            assert_eq!(light.language, full.language, "{}", a.id);
            assert_eq!(light.sentences, full.sentences, "{}", a.id);
            assert_eq!(light.mentions, full.mentions, "{}", a.id);
            assert_eq!(light.signature, full.signature, "{}", a.id);
            assert_eq!(light.terms, full.terms, "{}", a.id);
            let direct: Vec<_> =
                full.quotes.iter().filter(|q| q.direct).map(|q| q.content).collect();
            let kept: Vec<_> = light.quotes.iter().map(|q| q.content).collect();
            assert_eq!(kept, direct, "{}", a.id);
            assert!(light.quotes.iter().all(|q| q.direct && q.speaker.is_none()));
            assert!(light.times.is_empty() && light.roles.is_none());
        }
        let q = articles.last().map(|a| analyze(a, &crate::repair::repair(&a.raw)));
        let q = q.expect("pushed");
        assert!(q.quotes.iter().any(|x| x.direct) && q.quotes.iter().any(|x| !x.direct));
        assert!(!q.times.is_empty(), "the full depth reads times");
    }
}
