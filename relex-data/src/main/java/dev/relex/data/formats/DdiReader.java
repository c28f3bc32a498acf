package dev.relex.data.formats;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * DDI 2013 XML ({@code <document><sentence text=...><entity id charOffset="a-b" type text/><pair e1 e2 ddi
 * type/></sentence></document>}), read with the JDK's XML parser. The path given is a folder: every {@code .xml}
 * under it (recursively, sorted by path) is one document, read and converted one at a time. One example per
 * sentence; the record number is the sentence's position in its file. {@code charOffset} ends are inclusive. A
 * positive pair ({@code ddi="true"}) is a relation from e1 to e2 labelled with its type (DDI interactions are
 * symmetric; the corpus's e1 is the one that comes first in the sentence). Dropped and noted: discontinuous
 * entities ({@code "a-b;c-d"}), entities off GLiNER's word boundaries, and a positive pair without a type.
 * A file that is not well-formed XML is one bad record.
 */
public final class DdiReader extends ParsedReader {

    @Override
    public Stream<Parsed> parse(Path folder) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(folder)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".xml") && Files.isRegularFile(p)).sorted().toList();
        }
        DocumentBuilder builder = newBuilder();
        return files.stream().flatMap(f -> readFile(builder, f).stream());
    }

    private static DocumentBuilder newBuilder() throws IOException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setExpandEntityReferences(false);
            return f.newDocumentBuilder();
        } catch (ParserConfigurationException e) {
            throw new IOException("no usable XML parser", e);
        }
    }

    private static List<Parsed> readFile(DocumentBuilder builder, Path file) {
        String name = file.toString();
        Document doc;
        try {
            doc = builder.parse(file.toFile());
        } catch (Exception e) {
            return List.of(new Parsed.Bad(name, 1, "not well-formed XML: " + e.getMessage()));
        }
        List<Parsed> out = new ArrayList<>();
        NodeList sentences = doc.getElementsByTagName("sentence");
        for (int i = 0; i < sentences.getLength(); i++) {
            Element s = (Element) sentences.item(i);
            long record = i + 1;
            CharSpanDocument d = new CharSpanDocument(s.getAttribute("text"));
            NodeList entities = s.getElementsByTagName("entity");
            for (int k = 0; k < entities.getLength(); k++) {
                Element e = (Element) entities.item(k);
                String id = e.getAttribute("id"), offsets = e.getAttribute("charOffset"), type = e.getAttribute("type");
                String what = "entity " + id + " " + type + " '" + e.getAttribute("text") + "'";
                if (offsets.contains(";")) {
                    d.badEntity(id, "discontinuous entity", what + " is discontinuous (" + offsets + ")");
                    continue;
                }
                int dash = offsets.indexOf('-');
                try {
                    int start = Integer.parseInt(offsets.substring(0, dash).trim());
                    int endInclusive = Integer.parseInt(offsets.substring(dash + 1).trim());
                    d.entity(id, start, endInclusive + 1, type, e.getAttribute("text"), what);
                } catch (RuntimeException ex) {
                    d.badEntity(id, "entity offsets not a range", what + " charOffset '" + offsets + "'");
                }
            }
            NodeList pairs = s.getElementsByTagName("pair");
            for (int k = 0; k < pairs.getLength(); k++) {
                Element p = (Element) pairs.item(k);
                if (!"true".equals(p.getAttribute("ddi"))) continue;
                String type = p.getAttribute("type");
                if (type.isEmpty()) {
                    d.problem(Parsed.NoteKind.RELATION_DROPPED, "positive pair without a type",
                            "pair " + p.getAttribute("id") + " has ddi=\"true\" but no type");
                    continue;
                }
                d.relation(p.getAttribute("e1"), p.getAttribute("e2"), type, "pair " + p.getAttribute("id") + " " + type);
            }
            out.add(d.toParsed(name, record, s.getAttribute("id"), BratReader.OnBadAnnotation.DROP_ANNOTATION));
        }
        return out;
    }
}
