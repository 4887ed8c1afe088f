//! Criterion bench of the matcher alone: the full embedded rule library over
//! 8 MiB of code-like text with sparse secrets, and over text with no
//! keyword at all (the prefilter's floor). Run: `cargo bench --bench matcher`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use keysprawl::matcher::{ContentHints, Matcher, Scratch};
use keysprawl::rules::RuleSet;

fn code_like(len: usize) -> Vec<u8> {
    let lines = [
        "def handle_request(request, token_cache=None):\n",
        "    user = request.user  # look up the session token for this user\n",
        "    if not user.is_authenticated: raise PermissionError('login required')\n",
        "const secretName = process.env.SECRET_NAME || 'default';\n",
        "func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {\n",
        "    password_hash = bcrypt.hashpw(password.encode(), bcrypt.gensalt())\n",
        "  api_key: ${{ secrets.API_KEY }}\n",
        "let key = format!(\"{}/{}\", bucket, object_name);\n",
        "<input type=\"password\" name=\"password\" placeholder=\"Password\">\n",
        "import { createClient } from '@supabase/supabase-js';\n",
    ];
    let mut out = Vec::with_capacity(len + 128);
    let mut i = 0usize;
    while out.len() < len {
        out.extend_from_slice(lines[i % lines.len()].as_bytes());
        if i % 20_000 == 19_999 {
            out.extend_from_slice(b"GITHUB_TOKEN=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\n");
        }
        i += 1;
    }
    out
}

fn bench(c: &mut Criterion) {
    let set = RuleSet::embedded().expect("embedded rules load");
    let matcher = Matcher::new(&set).expect("matcher builds");
    let code = code_like(8 << 20);
    let plain: Vec<u8> = b"lorem ipsum dolor sit amet consectetur adipiscing elit\n"
        .iter()
        .copied()
        .cycle()
        .take(8 << 20)
        .collect();
    let mut g = c.benchmark_group("matcher");
    g.sample_size(10);
    for (name, data) in [("code_with_sparse_secrets", &code), ("no_keywords", &plain)] {
        g.throughput(Throughput::Bytes(data.len() as u64));
        g.bench_function(name, |b| {
            let mut scratch = Scratch::default();
            let mut out = Vec::new();
            b.iter(|| {
                out.clear();
                matcher.find(data, ContentHints::default(), &mut scratch, &mut out);
                out.len()
            })
        });
    }
    g.finish();
    c.bench_function("matcher/build_from_embedded_rules", |b| {
        b.iter(|| Matcher::new(&set).expect("builds").rule_count())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
