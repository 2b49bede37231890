package io.polyvisor.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code polyvisor completion bash}: prints a bash completion script generated from the command tree. */
@Command(name = "completion", description = {
        "Print a shell completion script.",
        "Install: polyvisor completion bash > /etc/bash_completion.d/polyvisor"})
final class CompletionCommand implements Runnable {
    enum Shell { bash }

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SHELL", description = "Shell: ${COMPLETION-CANDIDATES}.")
    Shell shell;

    @Override
    public void run() {
        Cli.of(spec).out().print(AutoComplete.bash("polyvisor", spec.root().commandLine()));
    }
}
