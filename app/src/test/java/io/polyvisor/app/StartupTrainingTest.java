package io.polyvisor.app;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StartupTrainingTest {
    @Test
    void everyTrainingCallGetsAsFarAsItShould() throws Exception {
        assertThat(StartupTraining.run()).isEmpty();
    }
}
