package dev.relex.cli;

import dev.relex.checkpoint.CheckpointException;
import dev.relex.checkpoint.HubDownloader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code relex download REPO}: fetches a checkpoint from a Hugging Face hub repository (on a machine
 * that can reach the hub) and prints the local directory to pass to {@code --model}.
 */
@Command(name = "download", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Download a GLiNER-Relex checkpoint from a Hugging Face hub repository and print its directory.",
                "Needs network access to the hub; HF_TOKEN is sent to the endpoint if set."})
final class DownloadCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "REPO", description = "Repository id, e.g. knowledgator/gliner-relex-large-v1.0.")
    String repo;

    @Option(names = "--revision", paramLabel = "REV", description = "Branch, tag or commit (default: main).")
    String revision;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Download root; files go to DIR/owner--name/REV (default: ~/.cache/relex).")
    Path dir;

    @Option(names = "--endpoint", paramLabel = "URL",
            description = "Hub endpoint (default: $HF_ENDPOINT or https://huggingface.co).")
    URI endpoint;

    private final CliContext ctx;

    DownloadCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        Path root = dir != null ? dir : Path.of(System.getProperty("user.home"), ".cache", "relex");
        HubDownloader hub = HubDownloader.fromEnvironment();
        if (endpoint != null) hub = new HubDownloader(endpoint, System.getenv("HF_TOKEN"));
        try {
            Path target = hub.download(repo, revision, root);
            ctx.out().println(target);
            return ExitCodes.OK;
        } catch (CheckpointException e) {
            ctx.err().println("relex: download failed: " + e.getMessage());
            return ExitCodes.FATAL;
        }
    }
}
