//! HTML (a road map saved from a web site) → [`Document`].
//!
//! Text outside tables becomes paragraphs (one per block element; `<br>`
//! is a line break, `<li>` a `- ` item); `<table>` becomes a table whose
//! cells keep their own line breaks. Line numbers are the ordinals of
//! paragraphs and rows, because the parsed tree keeps no source positions.

use std::borrow::Cow;
use std::cell::{Cell, Ref, RefCell};
use std::collections::HashMap;

use ego_tree::{NodeId, NodeRef};
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, QualName};
use scraper::{ElementRef, Html, HtmlTreeSink, Node};

use super::document::{Block, Document, Paragraph, Row, Table};
use super::error::ImportError;
use super::limits::Budget;

/// Bytes handed to the parser at a time; limits are checked between chunks.
const CHUNK_BYTES: usize = 16 * 1024;

pub(crate) fn read(html: &str, budget: &mut Budget) -> Result<Document, ImportError> {
    let parsed = parse(html, budget)?;
    let mut walker = Walker {
        budget,
        doc: Document::default(),
        buf: String::new(),
        emphasised_chars: 0,
        plain_chars: 0,
        heading: false,
        ordinal: 0,
    };
    walker.walk(*parsed.root_element())?;
    walker.flush()?;
    Ok(walker.doc)
}

/// Parses in chunks, stopping as soon as the elements nest deeper than the budget allows or the
/// time runs out: the HTML tree builder's work per element grows with the depth of open elements,
/// so a page of nothing but nested `<div>`s would otherwise take minutes.
fn parse(html: &str, budget: &Budget) -> Result<Html, ImportError> {
    let max_depth = budget.limits.max_depth;
    let sink = DepthSink {
        inner: HtmlTreeSink::new(Html::new_document()),
        depth: RefCell::new(HashMap::new()),
        max_depth,
        line: Cell::new(1),
        too_deep_at: Cell::new(None),
    };
    let mut parser = html5ever::parse_document(sink, Default::default());
    let mut rest = html;
    while !rest.is_empty() {
        let mut cut = rest.len().min(CHUNK_BYTES);
        while !rest.is_char_boundary(cut) {
            cut += 1;
        }
        let (chunk, tail) = rest.split_at(cut);
        parser.process(StrTendril::from_slice(chunk));
        rest = tail;
        if let Some(line) = parser.tokenizer.sink.sink.too_deep_at.get() {
            return Err(ImportError::TooDeep {
                max: max_depth,
                line,
            });
        }
        budget.check_time()?;
    }
    let (html, too_deep_at) = parser.finish();
    match too_deep_at {
        Some(line) => Err(ImportError::TooDeep {
            max: max_depth,
            line,
        }),
        None => Ok(html),
    }
}

/// scraper's tree sink, noting how deep each element is placed and the source line where the
/// first element deeper than `max_depth` appeared.
struct DepthSink {
    inner: HtmlTreeSink,
    depth: RefCell<HashMap<NodeId, usize>>,
    max_depth: usize,
    line: Cell<u64>,
    too_deep_at: Cell<Option<u64>>,
}

impl DepthSink {
    fn depth_of(&self, node: &NodeId) -> usize {
        self.depth.borrow().get(node).copied().unwrap_or(0)
    }

    fn place(&self, node: NodeId, depth: usize) {
        if depth > self.max_depth && self.too_deep_at.get().is_none() {
            self.too_deep_at.set(Some(self.line.get()));
        }
        self.depth.borrow_mut().insert(node, depth);
    }
}

impl TreeSink for DepthSink {
    type Output = (Html, Option<u64>);
    type Handle = NodeId;
    type ElemName<'a> = Ref<'a, QualName>;

    fn finish(self) -> Self::Output {
        (self.inner.finish(), self.too_deep_at.get())
    }

    fn parse_error(&self, msg: Cow<'static, str>) {
        self.inner.parse_error(msg)
    }

    fn set_current_line(&self, line_number: u64) {
        self.line.set(line_number)
    }

    fn get_document(&self) -> NodeId {
        self.inner.get_document()
    }

    fn elem_name<'a>(&'a self, target: &'a NodeId) -> Ref<'a, QualName> {
        self.inner.elem_name(target)
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> NodeId {
        self.inner.create_element(name, attrs, flags)
    }

    fn create_comment(&self, text: StrTendril) -> NodeId {
        self.inner.create_comment(text)
    }

    fn create_pi(&self, target: StrTendril, data: StrTendril) -> NodeId {
        self.inner.create_pi(target, data)
    }

    fn append(&self, parent: &NodeId, child: NodeOrText<NodeId>) {
        if let NodeOrText::AppendNode(node) = &child {
            self.place(*node, self.depth_of(parent) + 1);
        }
        self.inner.append(parent, child)
    }

    fn append_based_on_parent_node(
        &self,
        element: &NodeId,
        prev_element: &NodeId,
        child: NodeOrText<NodeId>,
    ) {
        if let NodeOrText::AppendNode(node) = &child {
            let depth = self.depth_of(element).max(self.depth_of(prev_element) + 1);
            self.place(*node, depth);
        }
        self.inner
            .append_based_on_parent_node(element, prev_element, child)
    }

    fn append_doctype_to_document(
        &self,
        name: StrTendril,
        public_id: StrTendril,
        system_id: StrTendril,
    ) {
        self.inner
            .append_doctype_to_document(name, public_id, system_id)
    }

    fn get_template_contents(&self, target: &NodeId) -> NodeId {
        self.inner.get_template_contents(target)
    }

    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        self.inner.same_node(x, y)
    }

    fn set_quirks_mode(&self, mode: QuirksMode) {
        self.inner.set_quirks_mode(mode)
    }

    fn append_before_sibling(&self, sibling: &NodeId, new_node: NodeOrText<NodeId>) {
        if let NodeOrText::AppendNode(node) = &new_node {
            self.place(*node, self.depth_of(sibling));
        }
        self.inner.append_before_sibling(sibling, new_node)
    }

    fn add_attrs_if_missing(&self, target: &NodeId, attrs: Vec<Attribute>) {
        self.inner.add_attrs_if_missing(target, attrs)
    }

    fn remove_from_parent(&self, target: &NodeId) {
        self.inner.remove_from_parent(target)
    }

    fn reparent_children(&self, node: &NodeId, new_parent: &NodeId) {
        self.inner.reparent_children(node, new_parent)
    }
}

struct Walker<'b> {
    budget: &'b mut Budget,
    doc: Document,
    buf: String,
    emphasised_chars: usize,
    plain_chars: usize,
    heading: bool,
    ordinal: usize,
}

const SKIPPED: &[&str] = &[
    "script", "style", "head", "title", "noscript", "template", "svg",
];
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "ul",
    "ol",
    "li",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "blockquote",
    "center",
    "dd",
    "dt",
    "dl",
    "pre",
    "hr",
    "caption",
];
const EMPHASIS: &[&str] = &["b", "strong", "i", "em", "u"];

/// A step of the document walk, kept on an explicit stack: the tree may be as deep as the
/// budget allows, and recursion would put that depth on the thread's stack.
enum Step<'a> {
    /// Read this node (with emphasis inherited from its ancestors).
    Visit(NodeRef<'a, Node>, bool),
    /// The block element whose children came before has ended.
    EndBlock,
}

impl Walker<'_> {
    fn walk(&mut self, root: NodeRef<'_, Node>) -> Result<(), ImportError> {
        let mut stack: Vec<Step<'_>> = root
            .children()
            .rev()
            .map(|c| Step::Visit(c, false))
            .collect();
        while let Some(step) = stack.pop() {
            let (node, emphasis) = match step {
                Step::EndBlock => {
                    self.flush()?;
                    continue;
                }
                Step::Visit(node, emphasis) => (node, emphasis),
            };
            if let Some(text) = node.value().as_text() {
                let counted = text.chars().filter(|c| !c.is_whitespace()).count();
                if emphasis {
                    self.emphasised_chars += counted;
                } else {
                    self.plain_chars += counted;
                }
                self.buf.push_str(text);
                continue;
            }
            let Some(element) = ElementRef::wrap(node) else {
                continue;
            };
            let name = element.value().name();
            if SKIPPED.contains(&name) {
                continue;
            }
            let mut child_emphasis = emphasis;
            if name == "table" {
                self.flush()?;
                self.table(element)?;
                continue;
            } else if name == "br" {
                self.buf.push('\n');
                continue;
            } else if is_heading(name) {
                self.flush()?;
                self.heading = true;
                stack.push(Step::EndBlock);
            } else if BLOCKS.contains(&name) {
                self.flush()?;
                if name == "li" {
                    self.buf.push_str("- ");
                }
                stack.push(Step::EndBlock);
            } else {
                child_emphasis = emphasis || EMPHASIS.contains(&name);
            }
            stack.extend(
                node.children()
                    .rev()
                    .map(|c| Step::Visit(c, child_emphasis)),
            );
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), ImportError> {
        let text = clean_lines(&self.buf);
        let emphasis = self.heading || (self.emphasised_chars > 0 && self.plain_chars == 0);
        self.buf.clear();
        self.emphasised_chars = 0;
        self.plain_chars = 0;
        self.heading = false;
        if text.is_empty() || text == "-" {
            return Ok(());
        }
        self.budget.text(text.len())?;
        self.ordinal += 1;
        self.doc.blocks.push(Block::Paragraph(Paragraph {
            text,
            line: self.ordinal,
            emphasis,
        }));
        Ok(())
    }

    fn table(&mut self, table: ElementRef<'_>) -> Result<(), ImportError> {
        let mut grid = Grid::default();
        let mut out = Table {
            rows: Vec::new(),
            line: self.ordinal + 1,
        };
        let mut previous_empty = false;
        for tr in rows_of(table) {
            self.budget.row()?;
            self.ordinal += 1;
            let mut row = grid.row(tr, self.budget)?;
            row.line = self.ordinal;
            row.after_break = previous_empty && !out.rows.is_empty();
            previous_empty = row.is_empty();
            out.rows.push(row);
        }
        if !out.rows.is_empty() {
            self.doc.blocks.push(Block::Table(out));
        }
        Ok(())
    }
}

fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

/// The `<tr>`s of this table, not of tables nested in its cells, in document order.
fn rows_of(table: ElementRef<'_>) -> Vec<ElementRef<'_>> {
    let mut rows = Vec::new();
    let mut stack: Vec<ElementRef<'_>> = table
        .children()
        .rev()
        .filter_map(ElementRef::wrap)
        .collect();
    while let Some(child) = stack.pop() {
        match child.value().name() {
            "tr" => rows.push(child),
            "thead" | "tbody" | "tfoot" => {
                stack.extend(child.children().rev().filter_map(ElementRef::wrap))
            }
            _ => {}
        }
    }
    rows
}

/// Builds rows on a grid: `colspan` leaves empty cells after the text,
/// `rowspan` repeats the text in the rows below.
#[derive(Default)]
struct Grid {
    carried: Vec<Option<(usize, String)>>,
}

impl Grid {
    fn row(&mut self, tr: ElementRef<'_>, budget: &mut Budget) -> Result<Row, ImportError> {
        let mut cells: Vec<String> = Vec::new();
        let mut physical = 0;
        let mut last_span = 1;
        for td in tr.children().filter_map(ElementRef::wrap) {
            let element = td.value();
            if !matches!(element.name(), "td" | "th") {
                continue;
            }
            self.take_carried(&mut cells, budget)?;
            let colspan = span(element.attr("colspan"), 100);
            let rowspan = span(element.attr("rowspan"), 1000);
            let text = cell_text(td);
            budget.cell(text.len())?;
            for _ in 1..colspan {
                budget.cell(0)?;
            }
            let start = cells.len();
            cells.push(text.clone());
            cells.extend(std::iter::repeat_n(String::new(), colspan - 1));
            if rowspan > 1 {
                if self.carried.len() < start + colspan {
                    self.carried.resize(start + colspan, None);
                }
                for (offset, slot) in self.carried[start..start + colspan].iter_mut().enumerate() {
                    let value = if offset == 0 {
                        text.clone()
                    } else {
                        String::new()
                    };
                    *slot = Some((rowspan - 1, value));
                }
            }
            physical += 1;
            last_span = colspan;
        }
        self.take_carried(&mut cells, budget)?;
        Ok(Row {
            cells,
            line: 0,
            after_break: false,
            spanning: physical == 1 && last_span > 1,
        })
    }

    /// Fills the cells still covered by a `rowspan` from above; each copy is charged, since a
    /// long text spanning a thousand rows is a thousand copies.
    fn take_carried(
        &mut self,
        cells: &mut Vec<String>,
        budget: &mut Budget,
    ) -> Result<(), ImportError> {
        while let Some(slot) = self.carried.get_mut(cells.len()) {
            let Some((left, text)) = slot.take() else {
                break;
            };
            budget.cell(text.len())?;
            cells.push(text.clone());
            if left > 1 {
                *slot = Some((left - 1, text));
            }
        }
        Ok(())
    }
}

fn span(value: Option<&str>, max: usize) -> usize {
    value
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, max)
}

/// A cell's text with `<br>`, `<p>`, `<li>`, `<div>` as line breaks.
fn cell_text(td: ElementRef<'_>) -> String {
    let mut buf = String::new();
    cell_walk(*td, &mut buf);
    clean_lines(&buf)
}

/// What is left to do for a cell's text: read a node, or end a block with a line break.
enum CellStep<'a> {
    Visit(NodeRef<'a, Node>),
    Newline,
}

fn cell_walk(node: NodeRef<'_, Node>, buf: &mut String) {
    let mut stack: Vec<CellStep<'_>> = node.children().rev().map(CellStep::Visit).collect();
    while let Some(step) = stack.pop() {
        let node = match step {
            CellStep::Newline => {
                buf.push('\n');
                continue;
            }
            CellStep::Visit(node) => node,
        };
        if let Some(text) = node.value().as_text() {
            buf.push_str(text);
            continue;
        }
        let Some(element) = ElementRef::wrap(node) else {
            continue;
        };
        let name = element.value().name();
        if SKIPPED.contains(&name) {
            continue;
        }
        let block = name == "br"
            || name == "tr"
            || is_heading(name)
            || BLOCKS.contains(&name)
            || name == "table";
        if block {
            buf.push('\n');
            stack.push(CellStep::Newline);
        }
        if matches!(name, "td" | "th") {
            buf.push(' ');
        }
        stack.extend(node.children().rev().map(CellStep::Visit));
    }
}

/// Collapses whitespace inside each line and drops empty lines.
fn clean_lines(s: &str) -> String {
    s.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roadmap::limits::Limits;

    fn read_unbounded(html: &str) -> Document {
        read(html, &mut Budget::new(Limits::default())).expect("a small document reads")
    }

    #[test]
    fn blocks_tables_and_spans() {
        let doc = read_unbounded(
            "<h2>Трек&nbsp;1</h2><p>Цели:</p><ul><li>одна</li><li>две</li></ul>\
             <table><tr><th>№</th><th>Мероприятия</th></tr>\
             <tr><td colspan=2><b>I. Раздел</b></td></tr>\
             <tr><td rowspan=2>1</td><td>А<br>Б</td></tr><tr><td>В</td></tr></table>",
        );
        let texts: Vec<String> = doc
            .blocks
            .iter()
            .map(|b| match b {
                Block::Paragraph(p) => format!("{}:{}", p.emphasis, p.text),
                Block::Table(t) => format!("table:{}", t.rows.len()),
            })
            .collect();
        assert_eq!(
            texts,
            vec![
                "true:Трек 1",
                "false:Цели:",
                "false:- одна",
                "false:- две",
                "table:4"
            ]
        );
        let Block::Table(t) = &doc.blocks[4] else {
            panic!("table expected")
        };
        assert!(t.rows[1].spanning);
        assert_eq!(t.rows[1].cells, vec!["I. Раздел", ""]);
        assert_eq!(t.rows[2].cells, vec!["1", "А\nБ"]);
        assert_eq!(t.rows[3].cells, vec!["1", "В"]);
    }
}
