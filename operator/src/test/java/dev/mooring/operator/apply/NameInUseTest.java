package dev.mooring.operator.apply;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import org.junit.jupiter.api.Test;

class NameInUseTest {
    private static final String SERVER_UID = "0f6c1b4e-1111-2222-3333-444455556666";

    @Test
    void anObjectThisServerControlsIsItsOwn() {
        assertThatCode(() -> NameInUse.requireSameController(deployment(SERVER_UID, "McpServer"), deployment(SERVER_UID, "McpServer")))
                .doesNotThrowAnyException();
    }

    @Test
    void anObjectOfAnotherOwnerOrOfNoneIsNeverAdopted() {
        assertThatThrownBy(() -> NameInUse.requireSameController(deployment(SERVER_UID, "McpServer"), deployment("another-uid", "HelmRelease")))
                .isInstanceOf(NameInUse.class)
                .hasMessageContaining("Deployment team-a/weather exists and is controlled by HelmRelease weather")
                .hasMessageContaining("rename the McpServer");
        assertThatThrownBy(() -> NameInUse.requireSameController(deployment(SERVER_UID, "McpServer"), deployment(null, null)))
                .isInstanceOf(NameInUse.class).hasMessageContaining("has no controller");
    }

    private static Deployment deployment(String ownerUid, String ownerKind) {
        DeploymentBuilder deployment = new DeploymentBuilder().withNewMetadata().withName("weather").withNamespace("team-a").endMetadata();
        if (ownerUid != null) {
            deployment.editMetadata().addNewOwnerReference().withApiVersion("v1").withKind(ownerKind).withName("weather")
                    .withUid(ownerUid).withController(true).endOwnerReference().endMetadata();
        }
        Deployment built = deployment.build();
        built.setKind("Deployment");
        return built;
    }
}
