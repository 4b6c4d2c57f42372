package dev.mooring.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mooring.operator.api.v1alpha1.status.VerificationResult;
import org.junit.jupiter.api.Test;

class VerificationStepTest {
    private static VerificationResult checked(String revision, String hash) {
        VerificationResult result = new VerificationResult();
        result.setRevision(revision);
        result.setToolSchemaSha256(hash);
        return result;
    }

    @Test
    void toolsThatChangeUnderTheSameRevisionAreDrift() {
        assertThat(VerificationStep.toolsDrifted(checked("a", "1111"), checked("a", "2222"))).isTrue();
        assertThat(VerificationStep.toolsDrifted(checked("a", "1111"), checked("a", "1111"))).isFalse();
        assertThat(VerificationStep.toolsDrifted(checked("a", "1111"), checked("b", "2222"))).as("a deploy, not drift").isFalse();
        assertThat(VerificationStep.toolsDrifted(checked("a", null), checked("a", "2222"))).as("never listed").isFalse();
        assertThat(VerificationStep.toolsDrifted(null, checked("a", "2222"))).isFalse();
    }
}
