//! Where a credential sits, as a reviewer ranks it: `test` and `example`
//! credentials are still credentials (they are often real, and reused), but
//! they rank below those in `code`, `config`, `ci` and `build` files.
//!
//! Read from the path: the directory names and file names that test suites,
//! docs and samples use in the common ecosystems, CI files by their system,
//! build files by name, configuration by extension.

use serde::{Deserialize, Serialize};

/// The kind of file a location is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Context {
    /// Test suites, fixtures, mocks, recorded HTTP cassettes.
    Test,
    /// Documentation, READMEs, samples and examples.
    Example,
    /// Build files: Dockerfiles, Makefiles, Gradle, Maven, Cargo, npm scripts.
    Build,
    /// CI configuration (a CI system reads the file).
    Ci,
    /// Configuration files (YAML, JSON, TOML, INI, `.env`, properties, XML).
    Config,
    /// Source code, and anything else.
    Code,
}

impl Context {
    /// How much a location in this context counts towards risk (0–100 of
    /// the production weight): test and example credentials rank lower.
    pub fn weight(self) -> u32 {
        match self {
            Context::Test => 50,
            Context::Example => 60,
            _ => 100,
        }
    }

    /// The context that ranks highest, so a secret in a test *and* in
    /// production config is a config finding.
    pub fn strongest(a: Context, b: Context) -> Context {
        if b.weight() > a.weight() || (b.weight() == a.weight() && b > a) {
            b
        } else {
            a
        }
    }
}

impl std::fmt::Display for Context {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Context::Test => "test",
            Context::Example => "example",
            Context::Build => "build",
            Context::Ci => "ci",
            Context::Config => "config",
            Context::Code => "code",
        })
    }
}

const TEST_DIRS: &[&str] = &[
    "test",
    "tests",
    "testing",
    "__tests__",
    "__test__",
    "spec",
    "specs",
    "testdata",
    "test-data",
    "test_data",
    "fixtures",
    "fixture",
    "__fixtures__",
    "mocks",
    "mock",
    "__mocks__",
    "cassettes",
    "vcr_cassettes",
    "recordings",
    "e2e",
    "integration-tests",
    "integration_tests",
    "androidtest",
    "testfixtures",
    "unittest",
    "unittests",
];

const EXAMPLE_DIRS: &[&str] = &[
    "doc",
    "docs",
    "documentation",
    "example",
    "examples",
    "sample",
    "samples",
    "demo",
    "demos",
    "tutorial",
    "tutorials",
    "quickstart",
    "website",
    "site",
    "guides",
];

const BUILD_FILES: &[&str] = &[
    "dockerfile",
    "containerfile",
    "makefile",
    "gnumakefile",
    "justfile",
    "build.gradle",
    "build.gradle.kts",
    "settings.gradle",
    "gradle.properties",
    "pom.xml",
    "cargo.toml",
    "package.json",
    "build.sbt",
    "cmakelists.txt",
    "rakefile",
    "gemfile",
    "setup.py",
    "setup.cfg",
    "pyproject.toml",
    "build.xml",
    "vagrantfile",
    "docker-compose.yml",
    "docker-compose.yaml",
    "compose.yml",
    "compose.yaml",
    "skaffold.yaml",
    "tiltfile",
];

const CONFIG_EXTS: &[&str] = &[
    "yml",
    "yaml",
    "json",
    "jsonc",
    "json5",
    "toml",
    "ini",
    "cfg",
    "conf",
    "config",
    "cnf",
    "env",
    "properties",
    "xml",
    "plist",
    "tfvars",
    "hcl",
    "tf",
    "npmrc",
    "pypirc",
    "netrc",
    "htpasswd",
    "settings",
];

const EXAMPLE_EXTS: &[&str] = &["md", "markdown", "rst", "adoc", "asciidoc", "txt", "ipynb"];

/// The context of a file at `path` (a repository- or root-relative path,
/// `/`-separated; an archive member's path follows a `!`).
pub fn classify(path: &str) -> Context {
    let path = path.rsplit('!').next().unwrap_or(path);
    let lower = path.to_ascii_lowercase();
    let lower = lower.replace('\\', "/");
    let mut parts: Vec<&str> = lower.split('/').filter(|p| !p.is_empty()).collect();
    let file = parts.pop().unwrap_or("");
    let stem = file.split('.').next().unwrap_or(file);
    let ext = file.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    if parts.iter().any(|d| TEST_DIRS.contains(d))
        || is_test_file(file, stem, ext)
        || matches!(ext, "har" | "http" | "vcr")
    {
        return Context::Test;
    }
    if super::ci_system(path).is_some() {
        return Context::Ci;
    }
    if parts.iter().any(|d| EXAMPLE_DIRS.contains(d))
        || EXAMPLE_EXTS.contains(&ext)
        || stem == "readme"
        || file.contains(".example")
        || file.contains(".sample")
        || file.ends_with(".dist")
        || file.ends_with(".template")
        || file.ends_with(".tmpl")
    {
        return Context::Example;
    }
    if BUILD_FILES.contains(&file) || stem == "dockerfile" || file.ends_with(".dockerfile") {
        return Context::Build;
    }
    if CONFIG_EXTS.contains(&ext)
        || file.starts_with(".env")
        || ext.is_empty() && file.starts_with('.')
    {
        return Context::Config;
    }
    Context::Code
}

/// Markers of a test suite near the top of a source file (imports of a
/// test framework, test annotations, test function shapes).
const TEST_MARKERS: &[&[u8]] = &[
    b"import pytest",
    b"import unittest",
    b"from unittest",
    b"org.junit",
    b"@Test",
    b"import org.testng",
    b"func Test",
    b"\"testing\"",
    b"#[test]",
    b"#[cfg(test)]",
    b"describe(",
    b"it(\"",
    b"it('",
    b"RSpec.describe",
    b"require \"spec_helper\"",
    b"require 'spec_helper'",
    b"require \"rails_helper\"",
    b"require 'rails_helper'",
    b"[TestMethod]",
    b"[Fact]",
    b"[Test]",
    b"using NUnit",
    b"using Xunit",
    b"PHPUnit\\Framework",
    b"extends TestCase",
    b"import XCTest",
    b"from django.test",
];

/// How much of a file's start is looked at for [`TEST_MARKERS`].
pub const TEST_MARKER_REACH: usize = 16 * 1024;

/// Does this start of a file read like a test suite?
pub fn looks_like_test(head: &[u8]) -> bool {
    let head = &head[..head.len().min(TEST_MARKER_REACH)];
    TEST_MARKERS
        .iter()
        .any(|m| memchr::memmem::find(head, m).is_some())
}

/// The context of a location: from the path, and a source file whose start
/// reads like a test suite (`content_is_test`) is a test.
pub fn of_location(path: &str, content_is_test: bool) -> Context {
    match classify(path) {
        Context::Code if content_is_test => Context::Test,
        c => c,
    }
}

fn is_test_file(file: &str, stem: &str, ext: &str) -> bool {
    stem.starts_with("test_")
        || stem.ends_with("_test")
        || stem.ends_with("_tests")
        || stem.ends_with("_spec")
        // JUnit, xUnit, ScalaTest, XCTest, PHPUnit: `UserServiceTest.java`.
        || stem.ends_with("test") && matches!(ext, "java" | "kt" | "cs" | "scala" | "swift" | "php")
        || stem.ends_with("tests") && matches!(ext, "java" | "kt" | "cs")
        || file.contains(".test.")
        || file.contains(".spec.")
        || file.contains("_test.")
        || stem == "conftest"
        || file.ends_with(".postman_collection.json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_the_context_a_reviewer_gives_them() {
        let cases = [
            ("src/test/java/com/acme/DbTest.java", Context::Test),
            ("app/models/user_spec.rb", Context::Test),
            ("pkg/client/client_test.go", Context::Test),
            ("web/src/api.test.ts", Context::Test),
            ("tests/conftest.py", Context::Test),
            ("spec/fixtures/vcr_cassettes/login.yml", Context::Test),
            ("UserServiceTests.cs", Context::Test),
            ("capture.har", Context::Test),
            ("README.md", Context::Example),
            ("docs/setup/install.rst", Context::Example),
            ("examples/basic/main.go", Context::Example),
            (".env.example", Context::Example),
            ("config/database.yml.sample", Context::Example),
            (".github/workflows/ci.yml", Context::Ci),
            (".gitlab-ci.yml", Context::Ci),
            ("Dockerfile", Context::Build),
            ("docker/api.Dockerfile", Context::Build),
            ("build.gradle", Context::Build),
            ("docker-compose.yml", Context::Build),
            ("config/settings.yaml", Context::Config),
            (".env", Context::Config),
            (".env.production", Context::Config),
            ("src/main/resources/application.properties", Context::Config),
            ("src/db.py", Context::Code),
            ("lib/latest.rs", Context::Code),
            ("dist/app.zip!tests/creds.json", Context::Test),
        ];
        for (path, want) in cases {
            assert_eq!(classify(path), want, "{path}");
        }
    }

    #[test]
    fn a_source_file_that_reads_like_a_test_suite_is_a_test() {
        assert!(looks_like_test(
            b"package db\n\nimport (\n\t\"testing\"\n)\n"
        ));
        assert!(looks_like_test(b"import pytest\n\ndef test_login():\n"));
        assert!(looks_like_test(b"describe('login', () => {\n"));
        assert!(!looks_like_test(b"package main\n\nfunc main() {}\n"));
        assert_eq!(of_location("src/db.go", true), Context::Test);
        assert_eq!(of_location("config/app.yml", true), Context::Config);
        assert_eq!(of_location("src/db.go", false), Context::Code);
    }

    #[test]
    fn the_strongest_context_is_the_most_production_like() {
        assert_eq!(
            Context::strongest(Context::Test, Context::Config),
            Context::Config
        );
        assert_eq!(
            Context::strongest(Context::Code, Context::Test),
            Context::Code
        );
        assert_eq!(
            Context::strongest(Context::Test, Context::Example),
            Context::Example
        );
    }
}
