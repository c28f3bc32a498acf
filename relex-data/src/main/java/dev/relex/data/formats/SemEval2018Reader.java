package dev.relex.data.formats;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * SemEval-2018 Task 7 (semantic relations in scientific abstracts): an XML file of {@code <text id>} elements
 * with a title and an abstract holding inline {@code <entity id>} spans, and a relation file of lines
 * {@code TYPE(id1,id2)} or {@code TYPE(id1,id2,REVERSE)}. The path is the XML file; the relations are
 * {@code N.relations.txt} beside {@code N.text.xml}, or {@code keys.test.N.txt} beside {@code N.test.text.xml}.
 * One example per text (title and abstract); entities are untyped ({@code entity}). The relation goes from id1 to
 * id2, or from id2 to id1 when marked REVERSE (the ids are listed in text order; REVERSE says the relation's
 * direction is the other one). Read with the JDK's XML parser; the XML is one tree (under 1 MB).
 */
public final class SemEval2018Reader extends ParsedReader {
    private static final Pattern RELATION = Pattern.compile("^([A-Z_-]+)\\(([^,()]+),([^,()]+)(,REVERSE)?\\)$");

    @Override
    public Stream<Parsed> parse(Path xml) throws IOException {
        String n = xml.getFileName().toString();
        Path relFile = n.endsWith(".test.text.xml")
                ? xml.resolveSibling("keys.test." + n.substring(0, n.length() - ".test.text.xml".length()) + ".txt")
                : xml.resolveSibling(n.replace(".text.xml", ".relations.txt"));
        List<Parsed> out = new ArrayList<>();
        Map<String, List<String[]>> relations = new HashMap<>();
        List<String> lines = Files.readAllLines(relFile, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.isEmpty()) continue;
            Matcher m = RELATION.matcher(l);
            if (!m.matches()) {
                out.add(new Parsed.Bad(relFile.toString(), i + 1, "not TYPE(id1,id2[,REVERSE]): '" + l + "'"));
                continue;
            }
            boolean reverse = m.group(4) != null;
            String a = m.group(2).strip(), b = m.group(3).strip();
            String doc = a.substring(0, a.lastIndexOf('.'));
            relations.computeIfAbsent(doc, k -> new ArrayList<>())
                    .add(new String[]{reverse ? b : a, reverse ? a : b, m.group(1), relFile.getFileName() + " line " + (i + 1) + " " + l});
        }
        Document dom;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            dom = f.newDocumentBuilder().parse(xml.toFile());
        } catch (Exception e) {
            throw new IOException(xml + ": not well-formed XML: " + e.getMessage(), e);
        }
        NodeList texts = dom.getElementsByTagName("text");
        String file = xml.toString();
        for (int i = 0; i < texts.getLength(); i++) {
            Element t = (Element) texts.item(i);
            String id = t.getAttribute("id");
            StringBuilder sb = new StringBuilder();
            List<Object[]> spans = new ArrayList<>();
            flatten(t, sb, spans);
            CharSpanDocument doc = new CharSpanDocument(sb.toString());
            for (Object[] s : spans) {
                doc.entity((String) s[0], (int) s[1], (int) s[2], "entity", null, "entity " + s[0]);
            }
            for (String[] r : relations.getOrDefault(id, List.of())) doc.relation(r[0], r[1], r[2], "relation " + r[3]);
            out.add(doc.toParsed(file, i + 1, id, BratReader.OnBadAnnotation.DROP_ANNOTATION));
        }
        return out.stream();
    }

    /** Appends the text under {@code node}, recording [id, start, end) of every entity element. */
    private static void flatten(Node node, StringBuilder sb, List<Object[]> spans) {
        for (Node c = node.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c.getNodeType() == Node.TEXT_NODE || c.getNodeType() == Node.CDATA_SECTION_NODE) {
                sb.append(c.getNodeValue());
            } else if (c.getNodeType() == Node.ELEMENT_NODE) {
                Element e = (Element) c;
                boolean entity = e.getTagName().equals("entity");
                boolean block = e.getTagName().equals("title") || e.getTagName().equals("abstract");
                if (block) sb.append('\n');
                int start = sb.length();
                flatten(e, sb, spans);
                if (entity) spans.add(new Object[]{e.getAttribute("id"), start, sb.length()});
                if (block) sb.append('\n');
            }
        }
    }
}
