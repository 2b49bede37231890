package io.polyvisor.libvirt;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;

/**
 * Libvirt XML through the DOM API: values go in as text nodes and attribute values, escaped by the serializer, never
 * pasted into markup; what libvirt returns is parsed, never searched with patterns.
 */
final class Xml {
    private Xml() {}

    /** A new document whose root element is {@code root}. */
    static Element root(String root) {
        var doc = newDocument();
        var e = doc.createElement(root);
        doc.appendChild(e);
        return e;
    }

    static Element child(Element parent, String tag) {
        var e = parent.getOwnerDocument().createElement(tag);
        parent.appendChild(e);
        return e;
    }

    static Element text(Element parent, String tag, String value) {
        var e = child(parent, tag);
        e.setTextContent(value);
        return e;
    }

    static Document newDocument() {
        try {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    static String serialize(Element root) {
        return serialize(root.getOwnerDocument());
    }

    /** Just {@code element} and what it holds (not the rest of its document). */
    static String serializeElement(Element element) {
        return write(new DOMSource(element));
    }

    static String serialize(Document doc) {
        return write(new DOMSource(doc));
    }

    private static String write(DOMSource source) {
        try {
            var t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            t.setOutputProperty(OutputKeys.INDENT, "yes");
            var out = new StringWriter();
            t.transform(source, new StreamResult(out));
            return out.toString();
        } catch (TransformerException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses XML libvirt returned (no DTDs, no external entities). */
    static Element parse(String xml) {
        try {
            var f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return f.newDocumentBuilder().parse(new InputSource(new StringReader(xml))).getDocumentElement();
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new IllegalStateException("unreadable XML from libvirt: " + e.getMessage(), e);
        }
    }

    /** The text of the first {@code tag} element under {@code e} (any depth), or null. */
    static String first(Element e, String tag) {
        var list = e.getElementsByTagName(tag);
        return list.getLength() == 0 ? null : list.item(0).getTextContent().strip();
    }
}
