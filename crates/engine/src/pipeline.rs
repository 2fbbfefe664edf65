//! The pipeline: calls the stages in order over a batch of articles and assembles the report.
//!
//! Per-article stages (repair, analyze) run in parallel with rayon; clustering is online and
//! sequential in arrival order; derivation and synthesis run per story, in parallel.

use rayon::prelude::*;

use crate::cluster::Clusterer;
use crate::record::{Analyzed, Article, ArticleIdx, Derivation, Repaired, Story};
use crate::report::{ArticleReport, RepairReport, Report};
use crate::{analyze, derive, repair, synthesize};

/// Settings of a pipeline run.
#[derive(Debug, Clone, Default)]
pub struct PipelineConfig {
    /// Publication date given to articles that carry none (anchors relative dates).
    pub default_date: Option<chrono::NaiveDate>,
}

/// Everything the per-article stages produced, indexed by [`ArticleIdx`].
#[derive(Debug)]
pub struct Batch {
    /// The articles as read.
    pub articles: Vec<Article>,
    /// Their repaired texts.
    pub repaired: Vec<Repaired>,
    /// Their analyses.
    pub analyzed: Vec<Analyzed>,
}

impl Batch {
    /// Repairs and analyzes every article (in parallel).
    pub fn build(mut articles: Vec<Article>, config: &PipelineConfig) -> Batch {
        if let Some(d) = config.default_date {
            for a in articles.iter_mut().filter(|a| a.date.is_none()) {
                a.date = Some(d);
            }
        }
        let (repaired, analyzed): (Vec<_>, Vec<_>) = articles
            .par_iter()
            .map(|a| {
                let r = repair::repair(&a.raw);
                let an = analyze::analyze(a, &r);
                (r, an)
            })
            .unzip();
        Batch {
            articles,
            repaired,
            analyzed,
        }
    }

    /// Number of articles.
    pub fn len(&self) -> usize {
        self.articles.len()
    }

    /// Whether the batch is empty.
    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
    }
}

/// A story with its derivation graph, ready to be synthesized.
#[derive(Debug, Clone)]
pub struct DerivedStory {
    /// The story.
    pub story: Story,
    /// Derivation edges among its articles.
    pub derivations: Vec<Derivation>,
    /// Origin groups (each a sorted list of article indices).
    pub origin_groups: Vec<Vec<ArticleIdx>>,
}

impl DerivedStory {
    /// The origin group index of each member article.
    pub fn origin_of(&self, article: ArticleIdx) -> usize {
        self.origin_groups
            .iter()
            .position(|g| g.contains(&article))
            .unwrap_or(usize::MAX)
    }
}

/// Clusters the batch into stories (online, in input order).
pub fn cluster(batch: &Batch) -> Vec<Story> {
    let mut clusterer = Clusterer::new();
    for (i, (a, an)) in batch.articles.iter().zip(&batch.analyzed).enumerate() {
        clusterer.assign(i, a, an);
    }
    clusterer.finish()
}

/// Derives origin edges and groups within each story.
pub fn derive_stories(batch: &Batch, stories: Vec<Story>) -> Vec<DerivedStory> {
    stories
        .into_par_iter()
        .map(|story| {
            let derivations = derive::derive(
                &batch.articles,
                &batch.repaired,
                &batch.analyzed,
                &story.articles,
            );
            let origin_groups = derive::origin_groups(&story.articles, &derivations);
            DerivedStory {
                story,
                derivations,
                origin_groups,
            }
        })
        .collect()
}

/// Runs every stage on `articles` and returns the report.
pub fn run(articles: Vec<Article>, config: &PipelineConfig) -> Report {
    let batch = Batch::build(articles, config);
    report(&batch)
}

/// Clusters, derives and synthesizes an already analyzed batch.
pub fn report(batch: &Batch) -> Report {
    let stories = derive_stories(batch, cluster(batch));
    let mut stories: Vec<_> = stories
        .par_iter()
        .map(|s| synthesize::synthesize(batch, s))
        .collect();
    stories.sort_by(|a, b| {
        b.articles
            .len()
            .cmp(&a.articles.len())
            .then_with(|| a.id.cmp(&b.id))
    });
    Report {
        articles: article_reports(batch),
        stories,
    }
}

fn article_reports(batch: &Batch) -> Vec<ArticleReport> {
    batch
        .articles
        .iter()
        .zip(&batch.repaired)
        .zip(&batch.analyzed)
        .map(|((a, r), an)| ArticleReport {
            id: a.id.clone(),
            source: a.source.clone(),
            url: a.url.clone(),
            title: a.title.clone(),
            published: a.published.clone(),
            language: an.language.clone(),
            repairs: r
                .repairs
                .iter()
                .map(|x| RepairReport {
                    kind: x.kind.as_str().to_string(),
                    start: x.start,
                    end: x.end,
                    original: x.original.clone(),
                    replacement: x.replacement.clone(),
                })
                .collect(),
        })
        .collect()
}
