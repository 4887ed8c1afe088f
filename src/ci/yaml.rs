//! The YAML reader the CI audits share: a small [`Node`] tree built from
//! saphyr-parser's event stream with an explicit stack, a depth bound and
//! a node budget, each node keeping the line and column it starts at.

use std::borrow::Cow;

use saphyr::Scalar;
use saphyr_parser::{Event, Parser, ScalarStyle, Span, Tag};

/// Where a node starts: 1-based line and 1-based column (in characters,
/// as the parser counts them). Line 0 means "no place in the file".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

impl Pos {
    fn of(span: &Span) -> Pos {
        let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        Pos {
            line: n(span.start.line()),
            column: n(span.start.col().saturating_add(1)),
        }
    }
}

/// A YAML node reduced to what the audits read, with where it starts.
#[derive(Debug, Clone)]
pub enum Node {
    Map(Pos, Vec<(String, Node)>),
    Seq(Pos, Vec<Node>),
    Str(Pos, String),
    Null(Pos),
}

impl Node {
    pub fn pos(&self) -> Pos {
        match self {
            Node::Map(p, _) | Node::Seq(p, _) | Node::Str(p, _) | Node::Null(p) => *p,
        }
    }
    /// 1-based line the node starts on.
    pub fn line(&self) -> usize {
        self.pos().line as usize
    }
    /// 1-based column the node starts at.
    pub fn column(&self) -> usize {
        self.pos().column as usize
    }
    pub fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Map(_, kv) => kv.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
    pub fn str(&self) -> Option<&str> {
        match self {
            Node::Str(_, s) => Some(s),
            _ => None,
        }
    }
    pub fn entries(&self) -> &[(String, Node)] {
        match self {
            Node::Map(_, kv) => kv,
            _ => &[],
        }
    }
    /// The items of the sequence under `key` (a job's `steps`), or none.
    pub fn list(&self, key: &str) -> &[Node] {
        self.get(key).map(Node::items).unwrap_or_default()
    }
    pub fn items(&self) -> &[Node] {
        match self {
            Node::Seq(_, v) => v,
            _ => &[],
        }
    }
    pub fn is_map(&self) -> bool {
        matches!(self, Node::Map(..))
    }
    /// Every scalar below this node, keys included, in document order
    /// (an explicit stack: no recursion on input depth).
    pub fn texts<'a>(&'a self, out: &mut Vec<&'a str>) {
        enum Item<'a> {
            Text(&'a str),
            Node(&'a Node),
        }
        let mut stack = vec![Item::Node(self)];
        while let Some(item) = stack.pop() {
            match item {
                Item::Text(s) => out.push(s),
                Item::Node(Node::Str(_, s)) => out.push(s),
                Item::Node(Node::Map(_, kv)) => {
                    for (k, v) in kv.iter().rev() {
                        stack.push(Item::Node(v));
                        stack.push(Item::Text(k));
                    }
                }
                Item::Node(Node::Seq(_, v)) => stack.extend(v.iter().rev().map(Item::Node)),
                Item::Node(Node::Null(_)) => {}
            }
        }
    }
    /// [`Node::texts`] joined by newlines: what substring checks read.
    pub fn text_blob(&self) -> String {
        let mut v = Vec::new();
        self.texts(&mut v);
        v.join("\n")
    }
}

/// Deeper YAML collections than this are read as null: no CI file nests
/// that deep, and it bounds the stack every later walk (and drop) uses.
pub const MAX_DEPTH: usize = 64;

/// At most this many nodes are kept from one CI file.
pub const MAX_NODES: usize = 1_000_000;

fn scalar_node(pos: Pos, v: Cow<'_, str>, style: ScalarStyle, tag: Option<&Cow<'_, Tag>>) -> Node {
    let text = match Scalar::parse_from_cow_and_metadata(v.clone(), style, tag) {
        Some(Scalar::Null) => None,
        Some(Scalar::Boolean(b)) => Some(b.to_string()),
        Some(Scalar::Integer(i)) => Some(i.to_string()),
        Some(Scalar::FloatingPoint(f)) => Some(f.to_string()),
        Some(Scalar::String(s)) => Some(s.into_owned()),
        None => Some(v.into_owned()),
    };
    text.map_or(Node::Null(pos), |t| Node::Str(pos, t))
}

/// A collection being built: where it starts, its items, and for a
/// mapping the key waiting for its value.
enum Frame {
    Seq(Pos, Vec<Node>),
    Map(Pos, Vec<(String, Node)>, Option<String>),
}

/// Why a text gave no tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unread {
    /// Not YAML the parser can read (or an empty stream).
    NotYaml,
    /// More nodes than allowed.
    TooManyNodes,
}

/// Parse the first YAML document into [`Node`]s (see [`parse_yaml_bounded`]),
/// keeping at most [`MAX_NODES`] nodes.
pub fn parse_yaml(text: &str) -> Option<Node> {
    parse_yaml_bounded(text, MAX_NODES).ok().map(|(n, _)| n)
}

/// Parse the first YAML document into [`Node`]s from the parser's event
/// stream, with an explicit stack and a depth bound (collections nested
/// deeper than [`MAX_DEPTH`] become null; aliases are not expanded), and
/// the number of nodes kept; or why not (not YAML we can read, or more
/// than `max_nodes` nodes).
pub fn parse_yaml_bounded(text: &str, max_nodes: usize) -> Result<(Node, usize), Unread> {
    let mut stack: Vec<Frame> = Vec::new();
    // Collections opened below the depth bound, still to be closed.
    let mut skipped = 0usize;
    let mut nodes = 0usize;
    for ev in Parser::new_from_str(text) {
        let (ev, span) = ev.map_err(|_| Unread::NotYaml)?;
        let pos = Pos::of(&span);
        let done = match ev {
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                if skipped > 0 || stack.len() >= MAX_DEPTH {
                    skipped += 1;
                } else if matches!(ev, Event::SequenceStart(..)) {
                    stack.push(Frame::Seq(pos, Vec::new()));
                } else {
                    stack.push(Frame::Map(pos, Vec::new(), None));
                }
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if skipped > 0 {
                    skipped -= 1;
                    if skipped > 0 {
                        continue;
                    }
                    Node::Null(pos)
                } else {
                    match stack.pop().ok_or(Unread::NotYaml)? {
                        Frame::Seq(p, v) => Node::Seq(p, v),
                        Frame::Map(p, kv, _) => Node::Map(p, kv),
                    }
                }
            }
            Event::Scalar(v, style, _, tag) => {
                if skipped > 0 {
                    continue;
                }
                scalar_node(pos, v, style, tag.as_ref())
            }
            Event::Alias(_) => {
                if skipped > 0 {
                    continue;
                }
                Node::Null(pos)
            }
            Event::DocumentEnd if stack.is_empty() => return Err(Unread::NotYaml),
            _ => continue,
        };
        nodes += 1;
        if nodes > max_nodes {
            return Err(Unread::TooManyNodes);
        }
        match stack.last_mut() {
            None => return Ok((done, nodes)),
            Some(Frame::Seq(_, v)) => v.push(done),
            Some(Frame::Map(_, kv, key)) => match key.take() {
                Some(k) => kv.push((k, done)),
                None => {
                    *key = Some(match done {
                        Node::Str(_, s) => s,
                        _ => String::new(),
                    })
                }
            },
        }
    }
    Err(Unread::NotYaml)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_yaml_is_bounded_not_a_stack_overflow() {
        let mut deep = String::from("on: push\n");
        for i in 0..3_000 {
            deep.push_str(&" ".repeat(i));
            deep.push_str(&format!("k{i}:\n"));
        }
        let root = parse_yaml(&deep).expect("still YAML");
        assert_eq!(root.get("on").and_then(Node::str), Some("push"));
        let _ = root.text_blob();
        let flow = format!("a: {}{}", "[".repeat(250), "]".repeat(250));
        assert!(parse_yaml(&flow).is_some());
        let dashes = format!("on: push\nx:\n  {}v\n", "- ".repeat(100_000));
        let root = parse_yaml(&dashes).expect("compact nested sequences are YAML");
        assert_eq!(root.get("on").and_then(Node::str), Some("push"));
        let _ = root.text_blob();
    }

    #[test]
    fn text_blob_keeps_key_value_order() {
        let root = parse_yaml("a:\n  oidc: true\n  b: [x, y]\n").expect("yaml");
        assert_eq!(root.text_blob(), "a\noidc\ntrue\nb\nx\ny");
    }

    #[test]
    fn nodes_keep_line_and_column() {
        let root =
            parse_yaml("jobs:\n  build:\n    env:\n      KEY: ${{ secrets.K }}\n").expect("yaml");
        let v = root
            .get("jobs")
            .and_then(|j| j.get("build"))
            .and_then(|b| b.get("env"))
            .and_then(|e| e.get("KEY"))
            .expect("value");
        assert_eq!((v.line(), v.column()), (4, 12));
    }

    #[test]
    fn node_budget_is_kept() {
        let text = "a: [1, 2, 3, 4, 5]\n";
        assert_eq!(
            parse_yaml_bounded(text, 3).err(),
            Some(Unread::TooManyNodes)
        );
        assert_eq!(parse_yaml_bounded("a: [", 100).err(), Some(Unread::NotYaml));
        let (_, n) = parse_yaml_bounded(text, 100).expect("fits");
        // The key, five items, the sequence and the mapping.
        assert_eq!(n, 8);
    }
}
