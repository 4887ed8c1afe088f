//! One stored secret name fed to many pipeline files (three or more, or
//! files in two or more repositories): one standing credential shared by
//! many pipelines, which no single pipeline can rotate or scope.

use std::collections::{BTreeMap, BTreeSet};

use crate::ci::Severity;
use crate::ci::systems::secret_names;
use crate::ci::{CiAudit, CiSystem, Counts, IssueBuilder, IssueSink, ParsedDoc, PostureLine};

pub const ID: &str = "shared_secret";

pub struct SharedSecret;

impl CiAudit for SharedSecret {
    fn id(&self) -> &'static str {
        ID
    }
    fn title(&self) -> &'static str {
        "one stored secret is fed to many pipelines"
    }
    fn instead(&self) -> &'static str {
        "Give each pipeline its own short-lived credential (OIDC), or at least a separate, narrowly scoped secret per pipeline and environment."
    }
    fn nhi(&self) -> &'static [&'static str] {
        &["NHI9", "NHI8"]
    }
    fn severity(&self) -> Severity {
        Severity::Medium
    }
    fn posture(&self) -> Option<PostureLine> {
        Some(PostureLine {
            label: "shared CI secrets",
            counts: Counts::Issues,
        })
    }
    /// Reported once per secret name, on the first file (by repository and
    /// path) that uses it, with no line.
    fn audit_all(&self, docs: &[ParsedDoc<'_>], out: &mut IssueSink) {
        // name → (repo, path) → the first document there.
        type Places<'d, 'a> = BTreeMap<(&'d Option<String>, &'d str), &'d ParsedDoc<'a>>;
        let mut names: BTreeMap<String, Places<'_, '_>> = BTreeMap::new();
        for doc in docs {
            let used = if doc.system() == CiSystem::Jenkins {
                secret_names(doc.text())
            } else if let Some(root) = doc.yaml() {
                secret_names(&root.text_blob())
            } else {
                continue;
            };
            let d = doc.document();
            for n in used {
                names
                    .entry(n)
                    .or_default()
                    .entry((&d.repo, d.path.as_str()))
                    .or_insert(doc);
            }
        }
        for (name, places) in names {
            let repos: BTreeSet<&Option<String>> = places.keys().map(|(r, _)| *r).collect();
            if places.len() < 3 && repos.len() < 2 {
                continue;
            }
            let Some(first) = places.values().next() else {
                continue;
            };
            out.push(
                IssueBuilder::new(self, first)
                    .title(format!(
                        "stored secret `{name}` is fed to {} pipeline files in {} repositories: one standing credential shared by many pipelines",
                        places.len(),
                        repos.len()
                    ))
                    .secrets([name])
                    .build(),
            );
        }
    }
}
