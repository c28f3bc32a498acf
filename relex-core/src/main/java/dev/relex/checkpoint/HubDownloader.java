package dev.relex.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Downloads a GLiNER checkpoint from a Hugging Face hub repository into a local directory that
 * {@link Checkpoint#open(Path)} can read: {@code gliner_config.json}, the tokenizer files (each
 * optional) and {@code model.safetensors} or, when the repository has none, the shard index
 * {@code model.safetensors.index.json} and every shard it names.
 *
 * <p>Files are fetched from {@code {endpoint}/{repo}/resolve/{revision}/{file}}. The endpoint is
 * {@code HF_ENDPOINT} or {@code https://huggingface.co}; a bearer token is sent when {@code HF_TOKEN}
 * is set, but only to the endpoint's own host (redirects to a CDN with pre-signed URLs must not carry
 * it). Redirects are followed manually for that reason. Each file is written to a temporary file and
 * moved into place atomically; a file already present with the size the server reports
 * ({@code X-Linked-Size} or {@code Content-Length}) is not downloaded again.
 *
 * <p>The directory layout is {@code cacheDir/<owner>--<name>/<revision>}. Thread-safe.
 */
public final class HubDownloader {
    private static final System.Logger LOG = System.getLogger(HubDownloader.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    public static final URI DEFAULT_ENDPOINT = URI.create("https://huggingface.co");
    /** Tokenizer files written by save_pretrained; any of them may be absent from a repository. */
    public static final List<String> TOKENIZER_FILES = List.of(
            "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json", "spm.model");
    private static final int MAX_REDIRECTS = 10;
    private static final Pattern REPO_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?");

    private final URI endpoint;
    private final String token;
    private final HttpClient client;

    /**
     * @param endpoint hub base URL, e.g. {@code https://huggingface.co}
     * @param token    bearer token or {@code null}
     */
    public HubDownloader(URI endpoint, String token) {
        this(endpoint, token, HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(30))
                .build());
    }

    HubDownloader(URI endpoint, String token, HttpClient client) {
        String e = Objects.requireNonNull(endpoint, "endpoint").toString();
        while (e.endsWith("/")) e = e.substring(0, e.length() - 1);
        this.endpoint = URI.create(e);
        this.token = token == null || token.isBlank() ? null : token.trim();
        this.client = client;
    }

    /** Endpoint from {@code HF_ENDPOINT} (default huggingface.co), token from {@code HF_TOKEN}. */
    public static HubDownloader fromEnvironment() {
        String ep = System.getenv("HF_ENDPOINT");
        String tok = System.getenv("HF_TOKEN");
        if (tok == null || tok.isBlank()) tok = System.getenv("HUGGING_FACE_HUB_TOKEN");
        return new HubDownloader(ep == null || ep.isBlank() ? DEFAULT_ENDPOINT : URI.create(ep.trim()), tok);
    }

    public URI endpoint() {
        return endpoint;
    }

    /**
     * Fetches the checkpoint files of {@code repoId} at {@code revision} (branch, tag or commit;
     * {@code null} means "main") and returns the local directory.
     *
     * @throws CheckpointException for an invalid repo id, a missing {@code gliner_config.json} or
     *                             weights, HTTP errors (401/403 name the token, 404 the file) and I/O failures
     */
    public Path download(String repoId, String revision, Path cacheDir) {
        if (repoId == null || !REPO_ID.matcher(repoId).matches() || repoId.contains("..")) {
            throw new CheckpointException("invalid Hugging Face repository id '" + repoId + "' (expected owner/name)");
        }
        String rev = revision == null || revision.isBlank() ? "main" : revision;
        Path target = cacheDir.resolve(repoId.replace("/", "--")).resolve(rev.replaceAll("[^A-Za-z0-9._-]", "_"));
        try {
            Files.createDirectories(target);
        } catch (IOException e) {
            throw new CheckpointException("cannot create download directory " + target + ": " + e.getMessage(), e);
        }
        Repo repo = new Repo(repoId, rev, target);
        if (!fetch(repo, Checkpoint.CONFIG_FILE)) {
            throw new CheckpointException(repo + " has no " + Checkpoint.CONFIG_FILE + " (" + url(repo, Checkpoint.CONFIG_FILE)
                    + " returned 404): not a GLiNER checkpoint");
        }
        for (String f : TOKENIZER_FILES) {
            if (!fetch(repo, f)) LOG.log(System.Logger.Level.DEBUG, "{0}: no {1}", repo, f);
        }
        if (!fetch(repo, "model.safetensors")) {
            String index = "model.safetensors.index.json";
            if (!fetch(repo, index)) {
                throw new CheckpointException(repo + " has neither model.safetensors nor " + index
                        + " (repositories with only pytorch_model.bin are not supported; convert to safetensors)");
            }
            for (String shard : shardNames(target.resolve(index))) {
                if (!fetch(repo, shard)) {
                    throw new CheckpointException(repo + ": shard '" + shard + "' named in " + index + " was not found ("
                            + url(repo, shard) + " returned 404)");
                }
            }
        }
        return target;
    }

    private record Repo(String id, String revision, Path dir) {
        @Override
        public String toString() {
            return "repository " + id + " at revision " + revision;
        }
    }

    private static List<String> shardNames(Path index) {
        JsonNode root;
        try {
            root = JSON.readTree(index.toFile());
        } catch (IOException e) {
            throw new CheckpointException(index + ": invalid shard index: " + e.getMessage(), e);
        }
        JsonNode map = root == null ? null : root.get("weight_map");
        if (map == null || !map.isObject()) throw new CheckpointException(index + ": shard index has no \"weight_map\" object");
        Set<String> names = new LinkedHashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) names.add(it.next().getValue().asText());
        return new ArrayList<>(names);
    }

    /** Downloads one file; returns false if the server answered 404. */
    private boolean fetch(Repo repo, String file) {
        Path local = repo.dir.resolve(file).normalize();
        if (!local.startsWith(repo.dir) || file.isEmpty()) {
            throw new CheckpointException(repo + ": refusing file name '" + file + "' (outside the download directory)");
        }
        URI uri = url(repo, file);
        try {
            if (Files.isRegularFile(local)) {
                Remote<Void> head = send(uri, "HEAD", HttpResponse.BodyHandlers.discarding());
                if (head.response.statusCode() == 404) return false;
                checkStatus(head, repo, file);
                OptionalLong size = head.size();
                if (size.isPresent() && size.getAsLong() == Files.size(local)) {
                    LOG.log(System.Logger.Level.DEBUG, "{0}: {1} is up to date", repo, file);
                    return true;
                }
            }
            Remote<InputStream> get = send(uri, "GET", HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = get.response.body()) {
                if (get.response.statusCode() == 404) return false;
                checkStatus(get, repo, file);
                OptionalLong expected = get.contentLength();
                Files.createDirectories(local.getParent());
                Path tmp = Files.createTempFile(local.getParent(), "." + local.getFileName(), ".part");
                try {
                    long n;
                    try (OutputStream out = Files.newOutputStream(tmp)) {
                        n = body.transferTo(out);
                    }
                    if (expected.isPresent() && n != expected.getAsLong()) {
                        throw new CheckpointException(repo + ": download of " + file + " was cut short (" + n + " of "
                                + expected.getAsLong() + " bytes from " + get.finalUri + ")");
                    }
                    moveAtomically(tmp, local);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
            LOG.log(System.Logger.Level.INFO, "{0}: downloaded {1}", repo, file);
            return true;
        } catch (IOException e) {
            throw new CheckpointException(repo + ": cannot download " + file + " from " + uri + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CheckpointException(repo + ": download of " + file + " was interrupted", e);
        }
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private void checkStatus(Remote<?> r, Repo repo, String file) {
        int status = r.response.statusCode();
        if (status == 200) return;
        String where = " for " + file + " (" + r.finalUri + ")";
        if (status == 401 || status == 403) {
            throw new CheckpointException(repo + ": HTTP " + status + where + ": the repository does not exist or is private/gated; "
                    + (token == null ? "set HF_TOKEN to a token with access" : "the HF_TOKEN given has no access to it"));
        }
        throw new CheckpointException(repo + ": unexpected HTTP status " + status + where);
    }

    /** One request with redirects resolved; remembers the hub's {@code X-Linked-Size} if any response had it. */
    private record Remote<T>(HttpResponse<T> response, URI finalUri, OptionalLong linkedSize) {
        OptionalLong contentLength() {
            return response.headers().firstValueAsLong("Content-Length");
        }

        /** Size of the file: the hub's X-Linked-Size (LFS files) or the final Content-Length. */
        OptionalLong size() {
            return linkedSize.isPresent() ? linkedSize : contentLength();
        }
    }

    private <T> Remote<T> send(URI uri, String method, HttpResponse.BodyHandler<T> handler) throws IOException, InterruptedException {
        URI current = uri;
        OptionalLong linked = OptionalLong.empty();
        for (int hop = 0; ; hop++) {
            HttpRequest.Builder rb = HttpRequest.newBuilder(current)
                    .timeout(Duration.ofMinutes(2))
                    .header("User-Agent", "relex-java")
                    .method(method, HttpRequest.BodyPublishers.noBody());
            if (token != null && sameOrigin(current, endpoint)) rb.header("Authorization", "Bearer " + token);
            HttpResponse<T> resp = client.send(rb.build(), handler);
            OptionalLong l = resp.headers().firstValueAsLong("X-Linked-Size");
            if (l.isPresent()) linked = l;
            int status = resp.statusCode();
            if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
                return new Remote<>(resp, current, linked);
            }
            discard(resp);
            if (hop >= MAX_REDIRECTS) throw new IOException("more than " + MAX_REDIRECTS + " redirects");
            String location = resp.headers().firstValue("Location")
                    .orElseThrow(() -> new IOException("HTTP " + status + " without a Location header from " + resp.uri()));
            current = current.resolve(location);
        }
    }

    private static void discard(HttpResponse<?> resp) throws IOException {
        if (resp.body() instanceof InputStream in) in.close();
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && effectivePort(a) == effectivePort(b);
    }

    private static int effectivePort(URI u) {
        if (u.getPort() != -1) return u.getPort();
        return "https".equals(u.getScheme().toLowerCase(Locale.ROOT)) ? 443 : 80;
    }

    /** {@code {endpoint}/{repo}/resolve/{revision}/{file}} with the revision as one encoded path segment. */
    private URI url(Repo repo, String file) {
        StringBuilder sb = new StringBuilder(endpoint.toString()).append('/').append(repo.id)
                .append("/resolve/").append(encode(repo.revision));
        for (String part : file.split("/")) sb.append('/').append(encode(part));
        return URI.create(sb.toString());
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
