package dev.relex.pretrained;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Finds a Maven artifact in the local repository or downloads it from a remote repository (Maven
 * Central by default) into the local one, the way Maven itself lays it out, so that later runs and
 * Maven builds find it.
 *
 * <p>A download fetches {@code FILE.sha1} first, streams {@code FILE} into a temporary file in the
 * target directory while computing its SHA-1, checks the byte count against {@code Content-Length} and
 * the digest against the published one, and only then moves it into place atomically (a crash or a
 * concurrent run never leaves a partial file under the final name). Server errors (5xx), timeouts,
 * truncated bodies and checksum mismatches are retried up to {@link Builder#maxAttempts}; a 404 or
 * another 4xx is not. Files already in the local repository are trusted, as Maven trusts them.
 *
 * <p>Immutable and thread-safe.
 */
public final class MavenResolver {
    /** Maven Central. */
    public static final URI MAVEN_CENTRAL = URI.create("https://repo1.maven.org/maven2/");
    /** Environment variable that replaces the remote base URL (a mirror, or a test server). */
    public static final String REMOTE_ENV = "RELEX_MAVEN_REPO";
    /** System property with the same meaning as {@link #REMOTE_ENV} (takes precedence). */
    public static final String REMOTE_PROPERTY = "relex.maven.repo";

    private static final Pattern SHA1 = Pattern.compile("[0-9a-fA-F]{40}");

    private final Path localRepository;
    private final URI remote;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final int maxAttempts;
    private final Duration retryDelay;
    private final Consumer<String> log;

    private MavenResolver(Builder b) {
        this.localRepository = b.localRepository;
        URI r = b.remote;
        this.remote = r.toString().endsWith("/") ? r : URI.create(r + "/");
        this.connectTimeout = b.connectTimeout;
        this.readTimeout = b.readTimeout;
        this.maxAttempts = b.maxAttempts;
        this.retryDelay = b.retryDelay;
        this.log = b.log;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Local repository from {@code -Dmaven.repo.local} (else {@code ~/.m2/repository}), remote from
     * {@code -Drelex.maven.repo} or {@code $RELEX_MAVEN_REPO} (else Maven Central).
     */
    public static MavenResolver fromEnvironment() {
        return builder().build();
    }

    /**
     * {@code -Dmaven.repo.local} if set, else {@code <localRepository>} of {@code ~/.m2/settings.xml} if
     * present, else {@code ~/.m2/repository} (Maven's own order).
     */
    public static Path defaultLocalRepository() {
        String p = System.getProperty("maven.repo.local");
        if (p != null && !p.isBlank()) return Path.of(p);
        Path m2 = Path.of(System.getProperty("user.home"), ".m2");
        Path fromSettings = localRepositoryOf(m2.resolve("settings.xml"));
        return fromSettings != null ? fromSettings : m2.resolve("repository");
    }

    /**
     * The {@code <localRepository>} of a Maven settings file ({@code ${user.home}} and {@code ${env.X}}
     * expanded), or null if the file or the element is absent; a malformed file is an error, as in Maven.
     */
    static Path localRepositoryOf(Path settings) {
        if (!Files.isRegularFile(settings)) return null;
        try {
            javax.xml.parsers.DocumentBuilderFactory f = javax.xml.parsers.DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            javax.xml.parsers.DocumentBuilder db = f.newDocumentBuilder();
            db.setErrorHandler(null); // errors are reported through the exception, not printed
            org.w3c.dom.Element root = db.parse(settings.toFile()).getDocumentElement();
            for (org.w3c.dom.Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof org.w3c.dom.Element e && "localRepository".equals(e.getLocalName())) {
                    String v = e.getTextContent().trim();
                    if (v.isEmpty()) return null;
                    v = v.replace("${user.home}", System.getProperty("user.home"));
                    java.util.regex.Matcher m = Pattern.compile("\\$\\{env\\.([A-Za-z0-9_]+)}").matcher(v);
                    StringBuilder sb = new StringBuilder();
                    while (m.find()) {
                        String env = System.getenv(m.group(1));
                        m.appendReplacement(sb, java.util.regex.Matcher.quoteReplacement(env == null ? "" : env));
                    }
                    m.appendTail(sb);
                    return Path.of(sb.toString());
                }
            }
            return null;
        } catch (javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException | IOException e) {
            throw new ResolutionException("cannot read the Maven settings " + settings + " (looking for <localRepository>): "
                    + e.getMessage(), e);
        }
    }

    /** {@code -Drelex.maven.repo}, else {@code $RELEX_MAVEN_REPO}, else Maven Central. */
    public static URI defaultRemote() {
        String p = System.getProperty(REMOTE_PROPERTY);
        if (p == null || p.isBlank()) p = System.getenv(REMOTE_ENV);
        return p == null || p.isBlank() ? MAVEN_CENTRAL : URI.create(p.trim());
    }

    public Path localRepository() {
        return localRepository;
    }

    public URI remote() {
        return remote;
    }

    /** Where the artifact lives (or will live) in the local repository. */
    public Path localPath(MavenArtifact artifact) {
        return localRepository.resolve(artifact.path());
    }

    /** The local file if present, else downloads it first. */
    public Path resolve(MavenArtifact artifact) {
        Path target = localPath(artifact);
        if (Files.isRegularFile(target)) return target;
        return download(artifact);
    }

    /** Downloads (again) and verifies the artifact, replacing any local copy. */
    public Path download(MavenArtifact artifact) {
        Path target = localPath(artifact);
        URI url = remote.resolve(artifact.path());
        String expected = fetchChecksum(artifact, remote.resolve(artifact.path() + ".sha1"));
        ResolutionException last = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            try {
                downloadOnce(artifact, url, target, expected);
                Files.writeString(target.resolveSibling(target.getFileName() + ".sha1"), expected, StandardCharsets.US_ASCII);
                return target;
            } catch (ResolutionException e) {
                if (!e.retryable()) throw e;
                last = e;
                if (attempt < maxAttempts) {
                    log.accept("attempt " + attempt + " of " + maxAttempts + " failed (" + e.getMessage() + "); retrying");
                    sleep(retryDelay);
                }
            } catch (IOException e) {
                throw new ResolutionException("cannot store " + artifact + " in " + target + ": " + e.getMessage(), e);
            }
        }
        throw new ResolutionException("cannot download " + artifact + " from " + url + " after " + maxAttempts
                + (maxAttempts == 1 ? " attempt: " : " attempts; last error: ") + last.getMessage(), last);
    }

    private String fetchChecksum(MavenArtifact artifact, URI url) {
        ResolutionException last = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            HttpURLConnection c = null;
            try {
                c = open(url);
                checkStatus(artifact, url, c);
                byte[] body;
                try (InputStream in = c.getInputStream()) {
                    body = in.readNBytes(4096);
                }
                String text = new String(body, StandardCharsets.US_ASCII).trim();
                String first = text.isEmpty() ? "" : text.split("\\s+")[0];
                if (!SHA1.matcher(first).matches()) {
                    throw new ResolutionException("checksum file " + url + " of " + artifact
                            + " does not start with a 40-digit SHA-1: '" + abbreviate(text) + "'");
                }
                return first.toLowerCase(Locale.ROOT);
            } catch (ResolutionException e) {
                if (!e.retryable()) throw e;
                last = e;
            } catch (IOException e) {
                last = ioFailure(artifact, url, e);
            } finally {
                if (c != null) c.disconnect();
            }
            if (attempt < maxAttempts) sleep(retryDelay);
        }
        throw new ResolutionException("cannot fetch checksum of " + artifact + " from " + url + " after "
                + maxAttempts + " attempt(s): " + last.getMessage(), last);
    }

    private void downloadOnce(MavenArtifact artifact, URI url, Path target, String expectedSha1) throws IOException {
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, target.getFileName().toString() + ".", ".part");
        HttpURLConnection c = null;
        try {
            c = open(url);
            checkStatus(artifact, url, c);
            long announced = c.getContentLengthLong();
            log.accept("downloading " + url + (announced >= 0 ? " (" + mb(announced) + ")" : ""));
            MessageDigest sha1 = sha1();
            long received = 0;
            byte[] buf = new byte[1 << 16];
            try (InputStream in = c.getInputStream(); OutputStream out = Files.newOutputStream(tmp)) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    out.write(buf, 0, n);
                    sha1.update(buf, 0, n);
                    received += n;
                }
            } catch (SocketTimeoutException e) {
                throw new ResolutionException("timed out reading " + url + " after " + received + " bytes (read timeout "
                        + readTimeout.toMillis() + " ms)", e, true);
            } catch (IOException e) {
                throw new ResolutionException("transfer of " + url + " broke off after " + received + " bytes"
                        + (announced >= 0 ? " of " + announced : "") + ": " + e.getMessage(), e, true);
            }
            if (announced >= 0 && received != announced) {
                throw new ResolutionException("truncated download of " + url + ": received " + received + " of "
                        + announced + " bytes", null, true);
            }
            String actual = HexFormat.of().formatHex(sha1.digest());
            if (!actual.equals(expectedSha1)) {
                throw new ResolutionException("checksum mismatch for " + url + ": SHA-1 of the " + received
                        + " bytes received is " + actual + ", the published .sha1 says " + expectedSha1, null, true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (SocketTimeoutException e) {
            throw new ResolutionException("timed out connecting to " + url + " (connect timeout "
                    + connectTimeout.toMillis() + " ms, read timeout " + readTimeout.toMillis() + " ms)", e, true);
        } catch (ResolutionException e) {
            throw e;
        } catch (IOException e) {
            throw ioFailure(artifact, url, e);
        } finally {
            if (c != null) c.disconnect();
            Files.deleteIfExists(tmp);
        }
    }

    private HttpURLConnection open(URI url) throws IOException {
        URL u = url.toURL();
        if (!(u.openConnection() instanceof HttpURLConnection c)) {
            throw new ResolutionException("remote repository URL " + url + " is not http(s)");
        }
        c.setConnectTimeout(Math.toIntExact(connectTimeout.toMillis()));
        c.setReadTimeout(Math.toIntExact(readTimeout.toMillis()));
        c.setInstanceFollowRedirects(true);
        c.setRequestProperty("User-Agent", "relex-pretrained (Java " + Runtime.version() + ")");
        return c;
    }

    private static void checkStatus(MavenArtifact artifact, URI url, HttpURLConnection c) throws IOException {
        int code = c.getResponseCode();
        if (code == 200) return;
        String why = code + (c.getResponseMessage() == null ? "" : " " + c.getResponseMessage());
        if (code == 404) {
            throw new ResolutionException(artifact + " not found: " + url + " answered HTTP " + why
                    + " (check the coordinates, or the remote repository set by -D" + REMOTE_PROPERTY + " / $" + REMOTE_ENV + ")");
        }
        boolean retryable = code >= 500 || code == 429 || code == 408;
        throw new ResolutionException(url + " answered HTTP " + why, null, retryable);
    }

    private static ResolutionException ioFailure(MavenArtifact artifact, URI url, IOException e) {
        String what = e instanceof SocketTimeoutException ? "timed out" : e.getClass().getSimpleName() + ": " + e.getMessage();
        return new ResolutionException("cannot fetch " + url + " (" + artifact + "): " + what, e, true);
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-1", e);
        }
    }

    private static void sleep(Duration d) {
        if (d.isZero()) return;
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ResolutionException("interrupted while waiting to retry", e);
        }
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }

    /** Options; every one has a default (see {@link MavenResolver#fromEnvironment()}). */
    public static final class Builder {
        private Path localRepository = defaultLocalRepository();
        private URI remote = defaultRemote();
        private Duration connectTimeout = Duration.ofSeconds(20);
        private Duration readTimeout = Duration.ofSeconds(60);
        private int maxAttempts = 3;
        private Duration retryDelay = Duration.ofSeconds(2);
        private Consumer<String> log = m -> { };

        private Builder() {}

        public Builder localRepository(Path dir) {
            this.localRepository = Objects.requireNonNull(dir, "localRepository");
            return this;
        }

        public Builder remote(URI base) {
            String s = Objects.requireNonNull(base, "remote").getScheme();
            if (!"http".equalsIgnoreCase(s) && !"https".equalsIgnoreCase(s)) {
                throw new IllegalArgumentException("remote repository must be an http(s) URL, got " + base);
            }
            this.remote = base;
            return this;
        }

        public Builder connectTimeout(Duration d) {
            this.connectTimeout = positive(d, "connectTimeout");
            return this;
        }

        /** Longest silence while reading a response before the attempt counts as timed out. */
        public Builder readTimeout(Duration d) {
            this.readTimeout = positive(d, "readTimeout");
            return this;
        }

        public Builder maxAttempts(int n) {
            if (n < 1) throw new IllegalArgumentException("maxAttempts must be at least 1, got " + n);
            this.maxAttempts = n;
            return this;
        }

        public Builder retryDelay(Duration d) {
            if (d == null || d.isNegative()) throw new IllegalArgumentException("retryDelay must be >= 0, got " + d);
            this.retryDelay = d;
            return this;
        }

        /** Receives one-line progress messages (download started, retries). */
        public Builder log(Consumer<String> log) {
            this.log = Objects.requireNonNull(log, "log");
            return this;
        }

        public MavenResolver build() {
            return new MavenResolver(this);
        }

        private static Duration positive(Duration d, String what) {
            if (d == null || d.isZero() || d.isNegative() || d.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(what + " must be positive, got " + d);
            }
            return d;
        }
    }
}
