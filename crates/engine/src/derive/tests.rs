use super::*;
use crate::pipeline::{Batch, PipelineConfig};

fn batch(texts: &[&str]) -> Batch {
    let articles =
        texts.iter().enumerate().map(|(i, t)| Article::new(format!("a{i}"), *t)).collect();
    Batch::build(articles, &PipelineConfig::default())
}

fn edges_of(b: &Batch) -> Vec<(usize, usize, DerivationKind)> {
    let members: Vec<usize> = (0..b.len()).collect();
    derive(&b.articles, &b.repaired, &b.analyzed, &members)
        .iter()
        .map(|e| (e.article, e.from, e.kind))
        .collect()
}

const WIRE: &str = "The city council of Port Ellery voted 7 to 2 on Tuesday to close the old \
    harbour bridge for eighteen months of repairs.\n\
    Engineers found corrosion in three of the bridge's twelve steel supports during an \
    inspection in March, the council said in a statement.\n\
    Traffic will be diverted over the northern ring road, adding about 15 minutes to a \
    typical commute into the city centre.\n\
    The repairs are expected to cost 41 million dollars, most of it paid by the regional \
    transport fund.\n\
    Mayor Alma Reyes said the closure was painful but unavoidable. “We cannot take risks \
    with people's safety,” she told reporters after the vote.";

const LIGHT_EDIT: &str = "The city council of Port Ellery voted 7 to 2 on Tuesday to close the \
    old harbour bridge for eighteen months of repairs.\n\
    Engineers found corrosion in three of the bridge's twelve steel supports during an \
    inspection in March, the council said in a statement on Tuesday.\n\
    Traffic will be diverted over the northern ring road, adding about 15 minutes to a \
    typical commute into the city center.\n\
    The repairs are expected to cost 41 million dollars, most of it paid by the regional \
    transport fund.\n\
    Mayor Alma Reyes said the closure was painful but unavoidable. “We cannot take risks \
    with people's safety,” she told reporters.";

const SPIN: &str = "The municipal council of Port Ellery voted 7 to 2 on Tuesday to shut the \
    aging harbour bridge for eighteen months of renovation.\n\
    Engineers discovered rust in three of the bridge's twelve steel pillars during a \
    check in March, the council said in a release.\n\
    Vehicles will be rerouted over the northern ring road, adding roughly 15 minutes to a \
    normal commute into the city centre.\n\
    The renovation is projected to cost 41 million dollars, most of it covered by the \
    regional transport fund.\n\
    Local sports news: the Port Ellery rowing club won its third regional title.";

const INDEPENDENT: &str = "Port Ellery's harbour bridge will shut for a year and a half after \
    a split council vote on Tuesday, with seven members in favour.\n\
    An inspection in March had revealed corroded supports; three of twelve were affected, \
    officials said.\n\
    Drivers face detours via the ring road north of town and commutes up to a quarter of an \
    hour longer.\n\
    Most of the 41 million dollar bill falls on the regional transport fund.\n\
    “We cannot take risks with people's safety,” Mayor Alma Reyes told reporters after the \
    vote, calling the closure painful but unavoidable.";

#[test]
fn fixture_pairs() {
    let cases: &[(&str, &str, Option<DerivationKind>)] = &[
        ("copy", WIRE, Some(DerivationKind::Copy)),
        ("light edit", LIGHT_EDIT, Some(DerivationKind::Copy)),
        ("spin", SPIN, Some(DerivationKind::Rewrite)),
        ("independent report", INDEPENDENT, None),
    ];
    for (name, text, want) in cases {
        let b = batch(&[WIRE, text]);
        let got = edges_of(&b);
        match want {
            Some(k) => assert_eq!(got, vec![(1, 0, *k)], "{name}"),
            None => assert!(got.is_empty(), "{name}: {got:?}"),
        }
    }
}

#[test]
fn direction_follows_dates_and_never_self() {
    let mut articles = vec![Article::new("late", WIRE), Article::new("early", LIGHT_EDIT)];
    articles[0].date = chrono::NaiveDate::from_ymd_opt(2024, 12, 9);
    articles[1].date = chrono::NaiveDate::from_ymd_opt(2024, 12, 8);
    let b = Batch::build(articles, &PipelineConfig::default());
    let e = derive(&b.articles, &b.repaired, &b.analyzed, &[0, 1, 1, 0]);
    assert_eq!(e.len(), 1);
    assert_eq!((e[0].article, e[0].from), (0, 1));
    assert!(!e[0].evidence.is_empty());
    // Evidence is text of the derived article.
    assert!(e[0].evidence.iter().all(|s| b.repaired[0].text.contains(s.as_str())));
    // One paragraph repeated inside one article is no derivation.
    let twice = format!("{WIRE}\n{WIRE}");
    let b = batch(&[&twice]);
    assert!(edges_of(&b).is_empty());
}

#[test]
fn origin_groups_are_components() {
    let e = |article, from| Derivation {
        article,
        from,
        kind: DerivationKind::Copy,
        score: 1.0,
        evidence: vec![],
    };
    type Case<'a> = (&'a [usize], Vec<Derivation>, Vec<Vec<usize>>);
    let cases: &[Case] = &[
        (&[3, 1, 2], vec![], vec![vec![1], vec![2], vec![3]]),
        (&[1, 2, 3, 4], vec![e(4, 1), e(3, 2)], vec![vec![1, 4], vec![2, 3]]),
        (&[5, 6, 7], vec![e(7, 6), e(6, 5), e(9, 5)], vec![vec![5, 6, 7]]),
    ];
    for (members, edges, want) in cases {
        assert_eq!(&origin_groups(members, edges), want);
    }
}

fn seeds() -> Option<Batch> {
    let dir = std::path::Path::new("/work/shared/seeds");
    let mut files: Vec<_> = std::fs::read_dir(dir).ok()?.flatten().map(|e| e.path()).collect();
    files.sort();
    let articles = files
        .iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(p).ok()?;
            Some(Article::new(
                p.file_stem()?.to_string_lossy().chars().take(3).collect::<String>(),
                text,
            ))
        })
        .collect();
    Some(Batch::build(articles, &PipelineConfig::default()))
}

#[test]
fn seeds_acceptance() {
    let Some(b) = seeds() else { return };
    let members: Vec<usize> = (0..b.len()).collect();
    let edges = derive(&b.articles, &b.repaired, &b.analyzed, &members);
    for e in &edges {
        eprintln!("{} <- {} {:?} {:.2} {:?}", e.article, e.from, e.kind, e.score, e.evidence);
    }
    assert!(edges.iter().all(|e| e.article != e.from));
    let joined = |x: usize, y: usize| {
        edges.iter().any(|e| (e.article, e.from) == (x, y) || (e.article, e.from) == (y, x))
    };
    assert!(!joined(0, 1), "000 and 001 share no distinctive wording");
    assert!(!joined(3, 4), "003 and 004 only share quotes and facts");
}

#[test]
#[ignore]
fn seeds_pair_stats() {
    let Some(b) = seeds() else { return };
    let preps: Vec<Prepared> =
        (0..b.len()).map(|i| prep::prepare(&b.repaired[i].text, &b.analyzed[i])).collect();
    for i in 0..b.len() {
        for j in i..b.len() {
            let al = align::align(&preps[i], &preps[j]);
            let sims: Vec<String> =
                al.matches.iter().map(|m| format!("{}-{}:{:.2}", m.a, m.b, m.sim)).collect();
            eprintln!("{i}-{j} cover {:.2} near {:.2} {sims:?}", al.cover, al.near_cover);
        }
    }
}

#[test]
fn best_parents_keep_one_strongest_edge_per_article() {
    let e = |article, from, score| Derivation {
        article,
        from,
        kind: DerivationKind::Copy,
        score,
        evidence: vec![],
    };
    let edges = vec![e(2, 0, 0.9), e(2, 1, 0.95), e(3, 0, 0.5), e(3, 1, 0.5), e(1, 0, 1.0)];
    let best: Vec<(usize, usize)> =
        super::best_parents(&edges).iter().map(|d| (d.article, d.from)).collect();
    assert_eq!(best, [(1, 0), (2, 1), (3, 0)]);
}
