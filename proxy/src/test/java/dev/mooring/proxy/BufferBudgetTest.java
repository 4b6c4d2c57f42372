package dev.mooring.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BufferBudgetTest {
    @Test
    void largeBodiesLeaveAQuarterOfTheBudgetToOrdinaryCalls() {
        BufferBudget budget = new BufferBudget(1_000_000);
        assertThat(budget.reserve(500_000)).isTrue();
        assertThat(budget.reserve(250_001)).as("past three quarters with a large body").isFalse();
        assertThat(budget.reserve(250_000)).isTrue();
        assertThat(budget.reserve(BufferBudget.SMALL_BODY + 1)).isFalse();
        for (int call = 0; call < 3; call++) {
            assertThat(budget.reserve(BufferBudget.SMALL_BODY)).as("small call " + call).isTrue();
        }
        assertThat(budget.reserve(BufferBudget.SMALL_BODY)).as("the whole budget is held").isFalse();
        assertThat(budget.held()).isEqualTo(750_000 + 3 * BufferBudget.SMALL_BODY);

        budget.release(500_000);
        assertThat(budget.reserve(400_000)).as("small bodies held count against large ones too").isFalse();
        assertThat(budget.reserve(300_000)).isTrue();
        assertThat(budget.held()).isEqualTo(550_000 + 3 * BufferBudget.SMALL_BODY);
    }
}
