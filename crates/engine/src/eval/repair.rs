//! Evaluation of the mojibake fixer on ftfy's test cases (`ftfy-cases/*.json`: `original`,
//! `fixed`, optional `fixed-encoding`, `expect`).
//!
//! The target is `fixed-encoding` when present (ftfy's encoding fix alone), else `fixed`.
//! Quotes are compared uncurled on both sides, because `fixed` also uncurls quotes, which
//! chorus deliberately does not do. "Must stay unchanged" cases are those whose target equals
//! their original: breaking one of them is a false positive, the worst kind of error.

use std::path::Path;

use serde::Deserialize;

use crate::repair::mojibake::fix_text;

/// Scores of the mojibake fixer on a set of cases.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RepairScores {
    /// Cases read.
    pub total: usize,
    /// Cases whose output equals the target.
    pub passed: usize,
    /// Cases whose target equals their original.
    pub unchanged_cases: usize,
    /// Of those, cases the fixer changed anyway (false positives).
    pub unchanged_broken: usize,
    /// Labels of failed cases, with what the fixer produced.
    pub failures: Vec<(String, String)>,
}

impl std::fmt::Display for RepairScores {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "mojibake cases passed {}/{}  (must-stay-unchanged cases changed: {}/{})",
            self.passed, self.total, self.unchanged_broken, self.unchanged_cases
        )?;
        for (label, got) in &self.failures {
            writeln!(f, "  failed: {label} → {got:?}")?;
        }
        Ok(())
    }
}

#[derive(Deserialize)]
struct Case {
    #[serde(default)]
    label: String,
    original: String,
    fixed: String,
    #[serde(rename = "fixed-encoding")]
    fixed_encoding: Option<String>,
}

fn uncurl(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '‘' | '’' | '‚' | '‛' => '\'',
            '“' | '”' | '„' | '‟' => '"',
            c => c,
        })
        .collect()
}

/// Scores one list of cases.
pub fn score_cases(cases: &[(String, String, String)]) -> RepairScores {
    let mut s = RepairScores::default();
    for (label, original, target) in cases {
        s.total += 1;
        let got = fix_text(original);
        let must_stay = uncurl(target) == uncurl(original);
        if must_stay {
            s.unchanged_cases += 1;
            if got != *original {
                s.unchanged_broken += 1;
                s.failures.push((format!("BROKEN {label}"), got.clone()));
            }
        }
        if uncurl(&got) == uncurl(target) {
            s.passed += 1;
        } else {
            s.failures.push((label.clone(), got));
        }
    }
    s
}

/// Runs the mojibake fixer on every case of every `*.json` file in `dir`.
pub fn ftfy_cases(dir: &Path) -> std::io::Result<RepairScores> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    let mut cases = Vec::new();
    for p in paths {
        let text = std::fs::read_to_string(&p)?;
        let parsed: Vec<Case> = serde_json::from_str(&text).map_err(std::io::Error::other)?;
        for c in parsed {
            let target = c.fixed_encoding.unwrap_or(c.fixed);
            cases.push((c.label, c.original, target));
        }
    }
    Ok(score_cases(&cases))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_fixture_cases() {
        let cases = vec![
            ("fix".to_string(), "cafÃ©".to_string(), "café".to_string()),
            ("keep".to_string(), "naïve".to_string(), "naïve".to_string()),
            ("quotes".to_string(), "â€œhiâ€\u{9d}".to_string(), "\"hi\"".to_string()),
        ];
        let s = score_cases(&cases);
        assert_eq!((s.total, s.passed, s.unchanged_cases, s.unchanged_broken), (3, 3, 1, 0));
    }

    #[test]
    fn ftfy_dev_cases_when_present() {
        let dir = Path::new("/work/shared/data/ftfy-cases");
        if !dir.exists() {
            return;
        }
        let s = ftfy_cases(dir).expect("readable cases");
        for (label, got) in &s.failures {
            eprintln!("FAIL {label}: {got}");
        }
        eprintln!(
            "ftfy cases: {}/{} passed, {} of {} must-stay-unchanged broken",
            s.passed, s.total, s.unchanged_broken, s.unchanged_cases
        );
        assert_eq!(s.unchanged_broken, 0, "false positives");
        assert!(s.passed >= 151, "passed {}", s.passed);
        // The whole repair stage is idempotent on every case.
        for entry in std::fs::read_dir(dir).expect("dir").flatten() {
            let Ok(text) = std::fs::read_to_string(entry.path()) else {
                continue;
            };
            let Ok(cases) = serde_json::from_str::<Vec<Case>>(&text) else {
                continue;
            };
            for c in cases {
                let once = crate::repair::repair(&c.original).text;
                assert_eq!(crate::repair::repair(&once).text, once, "case {}", c.label);
            }
        }
    }
}
