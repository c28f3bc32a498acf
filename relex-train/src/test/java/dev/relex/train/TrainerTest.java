package dev.relex.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relex.Entity;
import dev.relex.ExtractionOptions;
import dev.relex.ExtractionResult;
import dev.relex.Relation;
import dev.relex.RelexModel;
import dev.relex.checkpoint.SafeTensors;
import dev.relex.data.EntityMention;
import dev.relex.data.Example;
import dev.relex.data.RelationMention;
import dev.relex.data.io.TrainingJson;
import dev.relex.golden.RelexGolden;
import dev.relex.text.InputBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The trainer end to end on the tiny golden DeBERTa model (random weights): it learns a handful of
 * sentences until it extracts exactly their entities and relations; an interrupted run resumed from its
 * last state ends with the same parameters, bit for bit, as an uninterrupted one; a diverging run stops
 * naming the step and keeps its last good state.
 */
class TrainerTest {
    static final List<String> ENTITY_LABELS = List.of("person", "city", "organization", "country", "date");
    static final List<String> RELATION_LABELS = List.of("born in", "works for", "located in", "founded by");

    @TempDir
    Path tmp;

    static Example ex(String id, String text, List<EntityMention> ents, List<RelationMention> rels) {
        return new Example(id, List.of(text.split(" ")), ents, rels, ENTITY_LABELS, null, RELATION_LABELS, null);
    }

    static List<Example> sentences() {
        return List.of(
                ex("curie", "Marie Curie was born in Warsaw .",
                        List.of(new EntityMention(0, 1, "person"), new EntityMention(5, 5, "city")),
                        List.of(new RelationMention(0, 1, "born in"))),
                ex("acme", "Acme Corp hired Bob Smith in 2019 .",
                        List.of(new EntityMention(0, 1, "organization"), new EntityMention(3, 4, "person"),
                                new EntityMention(6, 6, "date")),
                        List.of(new RelationMention(1, 0, "works for"))),
                ex("paris", "Paris is located in France .",
                        List.of(new EntityMention(0, 0, "city"), new EntityMention(4, 4, "country")),
                        List.of(new RelationMention(0, 1, "located in"))),
                ex("jobs", "Apple was founded by Steve Jobs in California .",
                        List.of(new EntityMention(0, 0, "organization"), new EntityMention(4, 5, "person")),
                        List.of(new RelationMention(0, 1, "founded by"))));
    }

    static Path writeData(Path dir, List<Example> examples) throws IOException {
        Path file = dir.resolve("train.json");
        TrainingJson.write(file, TrainingJson.Layout.JSON_LINES, examples);
        return file;
    }

    static TrainerConfig config(Path data, Path out, long steps) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("model", RelexGolden.golden().resolve("relex-span-gcn/model").toString());
        o.put("output", out.toString());
        o.putArray("train").addObject().put("path", data.toString()).put("dataset", "gliner-json").put("weight", 1.0);
        o.put("max_steps", steps).put("per_device_train_batch_size", 4).put("learning_rate", 1e-3).put("others_lr", 3e-3)
                .put("weight_decay", 0.0).put("others_weight_decay", 0.0).put("lr_scheduler_type", "constant")
                .put("warmup_ratio", 0.0).put("head_dropout", 0.0).put("augment_data_prob", 0.0)
                .put("shuffle_buffer", 4).put("log_every", 0).put("seed", 7);
        return TrainerConfig.defaults().withOverrides(o);
    }

    static Set<String> gold(Example e) {
        Set<String> out = new TreeSet<>();
        for (EntityMention m : e.entities()) out.add("E " + m.start() + "-" + m.end() + " " + m.label());
        for (RelationMention r : e.relations()) {
            EntityMention h = e.entities().get(r.head()), t = e.entities().get(r.tail());
            out.add("R " + h.start() + "-" + h.end() + " " + r.label() + " " + t.start() + "-" + t.end());
        }
        return out;
    }

    static Set<String> predicted(RelexModel model, Example e) {
        String text = InputBuilder.joinWords(e.words());
        ExtractionResult r = model.extract(text, ENTITY_LABELS, RELATION_LABELS,
                ExtractionOptions.builder().threshold(0.5).preTokenized(true).build());
        int[] wordAt = new int[text.length() + 1];
        int[] wordEnd = new int[text.length() + 1];
        for (int w = 0, pos = 0; w < e.words().size(); w++) {
            wordAt[pos] = w;
            pos += e.words().get(w).length();
            wordEnd[pos] = w;
            pos++;
        }
        Set<String> out = new TreeSet<>();
        for (Entity x : r.entities()) out.add("E " + wordAt[x.start()] + "-" + wordEnd[x.end()] + " " + x.label());
        for (Relation x : r.relations()) {
            out.add("R " + wordAt[x.head().start()] + "-" + wordEnd[x.head().end()] + " " + x.relation() + " "
                    + wordAt[x.tail().start()] + "-" + wordEnd[x.tail().end()]);
        }
        return out;
    }

    @Test
    void aTinyModelLearnsAHandfulOfSentencesExactly() throws IOException {
        List<Example> data = sentences();
        Path file = writeData(tmp, data);
        // At this learning rate the summed loss takes the random model to exact extraction in ~200 steps
        // (~6 s); at 10x it collapses every logit below the loss's 1e-6 clamp, where positives get no gradient.
        Trainer.Result result = new Trainer(config(file, tmp.resolve("run"), 200), null, null).run(false);
        assertEquals(200, result.steps());
        try (RelexModel model = RelexModel.load(result.finalModel())) {
            for (Example e : data) assertEquals(gold(e), predicted(model, e), e.id());
        }
        // The exported directory is the reference's layout with provenance.
        for (String f : List.of("gliner_config.json", "model.safetensors", "tokenizer.json", "relex_provenance.json")) {
            assertTrue(Files.isRegularFile(result.finalModel().resolve(f)), f);
        }
        assertTrue(Files.readString(result.finalModel().resolve("relex_provenance.json")).contains("\"sha256\""));
    }

    static float[] weights(Path modelDir) {
        try (SafeTensors st = SafeTensors.open(modelDir.resolve("model.safetensors"))) {
            List<float[]> all = new ArrayList<>();
            int n = 0;
            for (String name : new TreeSet<>(st.names())) {
                float[] v = st.floats(name);
                all.add(v);
                n += v.length;
            }
            float[] out = new float[n];
            int off = 0;
            for (float[] v : all) {
                System.arraycopy(v, 0, out, off, v.length);
                off += v.length;
            }
            return out;
        }
    }

    @Test
    void aRunInterruptedAndResumedEndsBitForBitLikeAnUninterruptedOne() throws IOException {
        Path file = writeData(tmp, sentences());
        ObjectNode every2 = new ObjectMapper().createObjectNode().put("save_every", 2).put("augment_data_prob", 0.5)
                .put("head_dropout", 0.3);
        // augmentation and dropout on: their random draws must resume exactly too
        TrainerConfig straight = config(file, tmp.resolve("straight"), 7).withOverrides(every2);
        Trainer.Result a = new Trainer(straight, null, null).run(false);

        TrainerConfig interrupted = config(file, tmp.resolve("interrupted"), 7).withOverrides(every2);
        RuntimeException crash = assertThrows(RuntimeException.class, () -> new Trainer(interrupted, null, new Trainer.Listener() {
            @Override
            public void saved(long step, Path dir) {
                if (step == 4) throw new IllegalStateException("simulated crash after step 4");
            }
        }).run(false));
        assertEquals("simulated crash after step 4", crash.getMessage());
        assertThrows(IllegalStateException.class, () -> new Trainer(interrupted, null, null).run(false),
                "a second fresh start in a run directory with states is refused");
        Trainer.Result b = new Trainer(interrupted, null, null).run(true);
        assertEquals(7, b.steps());
        assertArrayEquals(weights(a.finalModel()), weights(b.finalModel()));
        // and it really trained: the weights moved
        assertFalse(java.util.Arrays.equals(weights(RelexGolden.golden().resolve("relex-span-gcn/model")),
                weights(a.finalModel())));
    }

    @Test
    void resumingWithAnotherConfigurationIsRefused() throws IOException {
        Path file = writeData(tmp, sentences());
        TrainerConfig cfg = config(file, tmp.resolve("run"), 2).withOverrides(
                new ObjectMapper().createObjectNode().put("save_every", 1));
        new Trainer(cfg, null, null).run(false);
        TrainerConfig other = cfg.withOverrides(new ObjectMapper().createObjectNode().put("learning_rate", 1e-4));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Trainer(other, null, null).run(true));
        assertTrue(e.getMessage().contains("learning_rate"), e.getMessage());
    }

    @Test
    void aDivergingRunStopsNamingTheStepAndKeepsTheLastGoodState() throws IOException {
        Path file = writeData(tmp, sentences());
        TrainerConfig cfg = config(file, tmp.resolve("run"), 50).withOverrides(new ObjectMapper().createObjectNode()
                .put("learning_rate", 1e30).put("others_lr", 1e30).put("max_grad_norm", 0.0).put("save_every", 1));
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> new Trainer(cfg, null, null).run(false));
        assertTrue(e.step() >= 2, "diverged at " + e.step());
        assertTrue(e.getMessage().contains("step " + e.step()), e.getMessage());
        Path last = tmp.resolve("run/state").resolve(String.format("step-%08d", e.step() - 1));
        assertTrue(e.getMessage().contains(last.toString()), e.getMessage());
        assertTrue(Files.isRegularFile(last.resolve("COMPLETE")));
        assertFalse(Files.exists(tmp.resolve("run/state").resolve(String.format("step-%08d", e.step()))));
    }

    @Test
    void badConfigurationsAreRejectedWithTheOptionNamed() throws IOException {
        Path file = writeData(tmp, sentences());
        TrainerConfig ok = config(file, tmp.resolve("run"), 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ok.withOverrides(new ObjectMapper().createObjectNode().put("max_step", 3)));
        assertTrue(e.getMessage().contains("max_step"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ok.withOverrides(new ObjectMapper().createObjectNode().put("per_device_train_batch_size", 0)).validated());
        assertTrue(e.getMessage().contains("per_device_train_batch_size"), e.getMessage());
        TrainerConfig missing = ok.withOverrides((ObjectNode) new ObjectMapper().createObjectNode()
                .set("train", new ObjectMapper().createArrayNode().add(new ObjectMapper().createObjectNode()
                        .put("path", tmp.resolve("nope.json").toString()).put("dataset", "gliner-json"))));
        e = assertThrows(IllegalArgumentException.class, () -> new Trainer(missing, null, null).run(false));
        assertTrue(e.getMessage().contains("nope.json"), e.getMessage());
    }

    @Test
    void yamlAndJsonConfigurationFilesAreRead() throws IOException {
        Path yaml = tmp.resolve("train.yaml");
        Files.writeString(yaml, "model: /m\noutput: /o\nmax_steps: 12\ntrain:\n  - path: a.json\n    dataset: conll04\n    weight: 2\n");
        TrainerConfig c = TrainerConfig.read(yaml);
        assertEquals(12, c.steps());
        assertEquals(2.0, c.train().get(0).weight());
        assertEquals(8, c.batchSize(), "unset keys keep their defaults");
        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, "{\"model\": \"/m\", \"learning_rat\": 1}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainerConfig.read(bad));
        assertTrue(e.getMessage().contains("learning_rat"), e.getMessage());
    }

    @Test
    void loraTrainsAdaptersAndHeadsExportsMergedWeightsAndResumesExactly() throws IOException {
        Path file = writeData(tmp, sentences());
        ObjectNode o = new ObjectMapper().createObjectNode().put("lora_rank", 4).put("lora_alpha", 8.0)
                .put("save_every", 2).put("others_lr", 3e-3).put("learning_rate", 3e-3);
        TrainerConfig straight = config(file, tmp.resolve("lora-a"), 8).withOverrides(o);
        Trainer.Result a = new Trainer(straight, null, null).run(false);
        Path source = RelexGolden.golden().resolve("relex-span-gcn/model/model.safetensors");
        try (SafeTensors src = SafeTensors.open(source); SafeTensors out = SafeTensors.open(a.finalModel().resolve("model.safetensors"))) {
            assertEquals(new TreeSet<>(src.names()), new TreeSet<>(out.names()), "a plain checkpoint: no adapter keys");
            String emb = "token_rep_layer.bert_layer.model.embeddings.word_embeddings.weight";
            assertArrayEquals(src.floats(emb), out.floats(emb), 0f, "frozen encoder tensors stay as they were");
            String q = "token_rep_layer.bert_layer.model.encoder.layer.0.attention.self.query_proj.weight";
            assertFalse(java.util.Arrays.equals(src.floats(q), out.floats(q)), "adapted weights are exported merged");
        }
        try (SafeTensors state = SafeTensors.open(tmp.resolve("lora-a/state/step-00000008/model.safetensors"))) {
            assertTrue(state.names().stream().anyMatch(n -> n.endsWith(".lora_A.weight")), "states keep the adapters apart");
        }
        TrainerConfig interrupted = config(file, tmp.resolve("lora-b"), 8).withOverrides(o);
        assertThrows(IllegalStateException.class, () -> new Trainer(interrupted, null, new Trainer.Listener() {
            @Override
            public void saved(long step, Path dir) {
                if (step == 4) throw new IllegalStateException("simulated crash");
            }
        }).run(false));
        Trainer.Result b = new Trainer(interrupted, null, null).run(true);
        assertArrayEquals(weights(a.finalModel()), weights(b.finalModel()));
        try (RelexModel model = RelexModel.load(a.finalModel())) {
            assertNotNull(model.extract("Marie Curie was born in Warsaw .", ENTITY_LABELS, RELATION_LABELS));
        }
    }
}
