//! A thin layer over `quick_xml::Writer` for WordprocessingML: elements by name, attributes as
//! pairs, text escaped by quick-xml and cleaned of characters XML 1.0 cannot hold.

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use crate::ReportError;

pub(crate) struct Xml {
    writer: Writer<Vec<u8>>,
}

impl Xml {
    /// A new document starting with the XML declaration.
    pub fn new() -> Result<Self, ReportError> {
        let mut writer = Writer::new(Vec::new());
        writer.write_event(Event::Decl(BytesDecl::new(
            "1.0",
            Some("UTF-8"),
            Some("yes"),
        )))?;
        Ok(Self { writer })
    }

    pub fn open(&mut self, name: &str, attributes: &[(&str, &str)]) -> Result<(), ReportError> {
        let start = BytesStart::new(name).with_attributes(attributes.iter().copied());
        self.writer.write_event(Event::Start(start))?;
        Ok(())
    }

    pub fn close(&mut self, name: &str) -> Result<(), ReportError> {
        self.writer.write_event(Event::End(BytesEnd::new(name)))?;
        Ok(())
    }

    pub fn empty(&mut self, name: &str, attributes: &[(&str, &str)]) -> Result<(), ReportError> {
        let start = BytesStart::new(name).with_attributes(attributes.iter().copied());
        self.writer.write_event(Event::Empty(start))?;
        Ok(())
    }

    /// `<name w:val="value"/>`, the commonest property element.
    pub fn val(&mut self, name: &str, value: &str) -> Result<(), ReportError> {
        self.empty(name, &[("w:val", value)])
    }

    /// Escaped character data.
    pub fn text(&mut self, text: &str) -> Result<(), ReportError> {
        let clean = xml_chars(text);
        self.writer
            .write_event(Event::Text(BytesText::new(&clean)))?;
        Ok(())
    }

    /// `<name attributes>text</name>`.
    pub fn element(
        &mut self,
        name: &str,
        attributes: &[(&str, &str)],
        text: &str,
    ) -> Result<(), ReportError> {
        self.open(name, attributes)?;
        self.text(text)?;
        self.close(name)
    }

    pub fn finish(self) -> Vec<u8> {
        self.writer.into_inner()
    }
}

/// `text` without the characters XML 1.0 forbids (controls other than tab, line feed and
/// carriage return; U+FFFE, U+FFFF).
pub(crate) fn xml_chars(text: &str) -> String {
    text.chars()
        .filter(|c| {
            !matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
        })
        .collect()
}
