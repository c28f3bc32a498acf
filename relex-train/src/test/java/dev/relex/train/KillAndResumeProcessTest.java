package dev.relex.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A training process killed with SIGKILL in the middle of its run (possibly while it writes a state) and
 * then resumed ends with exactly the parameters of an uninterrupted run of the same configuration.
 */
class KillAndResumeProcessTest {
    @TempDir
    Path tmp;

    @Test
    void aRunKilledWithSigkillAndResumedEqualsAnUninterruptedRun() throws Exception {
        Path data = TrainerTest.writeData(tmp, TrainerTest.sentences());
        ObjectNode o = new ObjectMapper().createObjectNode().put("save_every", 5).put("head_dropout", 0.2)
                .put("augment_data_prob", 0.5);
        TrainerConfig straight = TrainerTest.config(data, tmp.resolve("straight"), 300).withOverrides(o);
        TrainerConfig killed = TrainerTest.config(data, tmp.resolve("killed"), 300).withOverrides(o);
        Path configFile = tmp.resolve("killed.json");
        Files.writeString(configFile, new ObjectMapper().writeValueAsString(killed.toJson()));

        String java = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-cp",
                System.getProperty("java.class.path"), TrainerProcessMain.class.getName(), configFile.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
        Path latest = tmp.resolve("killed/state/LATEST");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && p.isAlive()) {
            if (Files.exists(latest) && stepOf(Files.readString(latest)) >= 20) break;
            Thread.sleep(5);
        }
        assertTrue(p.isAlive(), "the child finished before it could be killed: " + Files.readString(tmp.resolve("child.log")));
        p.destroyForcibly(); // SIGKILL on Linux
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertFalse(Files.exists(tmp.resolve("killed/final")), "killed before the end");

        Trainer.Result resumed = new Trainer(killed, null, null).run(true);
        Trainer.Result uninterrupted = new Trainer(straight, null, null).run(false);
        assertEquals(300, resumed.steps());

        assertArrayEquals(TrainerTest.weights(uninterrupted.finalModel()), TrainerTest.weights(resumed.finalModel()));
        List<String> log = Files.readAllLines(tmp.resolve("killed/metrics.jsonl"));
        // Steps done after the last state and lost with the kill are done again (and logged twice).
        assertTrue(log.size() >= 300, log.size() + " metrics lines");
    }

    private static long stepOf(String pointer) {
        String s = pointer.trim();
        return s.startsWith("step-") ? Long.parseLong(s.substring(5)) : -1;
    }
}
