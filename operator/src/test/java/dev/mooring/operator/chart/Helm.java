package dev.mooring.operator.chart;

import dev.mooring.operator.cluster.BuiltTools;
import dev.mooring.operator.cluster.TestCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The real Helm binary on the repository's chart. */
public final class Helm {
    public static final Path CHART = TestCluster.REPO.resolve("helm/mooring");

    private Helm() {
    }

    /** Runs helm; returns stdout, or throws with stderr when it exits non-zero. */
    public static String run(String... args) {
        return BuiltTools.runOrFail("helm", List.of(args));
    }

    public static BuiltTools.Result tryRun(String... args) {
        return BuiltTools.run("helm", List.of(args));
    }

    /** Helm's arguments for these values: `--set` before each. */
    public static List<String> setFlags(String... values) {
        List<String> flags = new ArrayList<>();
        for (String value : values) {
            flags.add("--set");
            flags.add(value);
        }
        return flags;
    }

    /** `helm template` of the repository's chart with --set values, as objects. */
    public static List<HasMetadata> template(String... setValues) {
        List<String> args = new ArrayList<>(List.of("template", "mooring", CHART.toString(), "--namespace", "mooring-system"));
        args.addAll(setFlags(setValues));
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : run(args.toArray(String[]::new)).split("(?m)^---\\s*$")) {
            if (document.contains("kind:")) {
                objects.add(Serialization.unmarshal(document));
            }
        }
        return objects;
    }
}
