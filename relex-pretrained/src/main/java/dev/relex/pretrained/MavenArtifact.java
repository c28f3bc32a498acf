package dev.relex.pretrained;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Maven coordinates of one file: {@code groupId:artifactId:version[:classifier]}, extension {@code jar}
 * unless given. {@link #path()} is its location in the standard repository layout, the same below a
 * local repository ({@code ~/.m2/repository}) and a remote base URL.
 */
public record MavenArtifact(String groupId, String artifactId, String version, String classifier, String extension) {
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_.\\-]+");

    public MavenArtifact {
        check("groupId", groupId);
        check("artifactId", artifactId);
        check("version", version);
        if (classifier != null && classifier.isEmpty()) classifier = null;
        if (classifier != null) check("classifier", classifier);
        extension = extension == null || extension.isEmpty() ? "jar" : extension;
        check("extension", extension);
    }

    /** {@code group:artifact:version} or {@code group:artifact:version:classifier}, extension jar. */
    public static MavenArtifact parse(String coordinates) {
        String[] p = Objects.requireNonNull(coordinates, "coordinates").split(":", -1);
        if (p.length < 3 || p.length > 4) {
            throw new IllegalArgumentException("Maven coordinates must be group:artifact:version[:classifier], got '"
                    + coordinates + "'");
        }
        return new MavenArtifact(p[0], p[1], p[2], p.length == 4 ? p[3] : null, "jar");
    }

    /** Relative path in the repository layout, with '/' separators. */
    public String path() {
        return groupId.replace('.', '/') + "/" + artifactId + "/" + version + "/" + fileName();
    }

    public String fileName() {
        return artifactId + "-" + version + (classifier == null ? "" : "-" + classifier) + "." + extension;
    }

    @Override
    public String toString() {
        return groupId + ":" + artifactId + ":" + version + (classifier == null ? "" : ":" + classifier)
                + ("jar".equals(extension) ? "" : "@" + extension);
    }

    private static void check(String what, String v) {
        if (v == null || !SEGMENT.matcher(v).matches() || v.equals(".") || v.equals("..")) {
            // Also keeps the path inside the repository: no '/', no '..'.
            throw new IllegalArgumentException("invalid Maven " + what + " '" + v + "'");
        }
    }
}
