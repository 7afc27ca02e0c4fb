package dev.banger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.model.ErrorKind;
import dev.banger.rpc.DaemonUnavailableException;
import dev.banger.rpc.RpcErrorCodes;
import dev.banger.rpc.RpcException;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ErrorReporterTest {
    @Test
    void eachErrorKindHasItsOwnExitCode() {
        assertThat(ErrorKind.values()).extracting(ExitCodes::forKind).doesNotHaveDuplicates();
        assertThat(ExitCodes.forKind(ErrorKind.NOT_FOUND)).isEqualTo(3);
        assertThat(ExitCodes.forKind(ErrorKind.UNAUTHORIZED)).isEqualTo(6);
    }

    @Test
    void daemonErrorBecomesOneLineAndItsKindsExitCode() {
        StringWriter err = new StringWriter();
        CommandLine commandLine = BangerMain.commandLine();
        commandLine.setErr(new PrintWriter(err));
        int code = new ErrorReporter().handleExecutionException(
                new RpcException(RpcErrorCodes.CONFLICT, ErrorKind.CONFLICT, "a VM named dev1 already exists", null),
                commandLine, null);
        assertThat(code).isEqualTo(ExitCodes.CONFLICT);
        assertThat(err.toString()).isEqualTo("banger: a VM named dev1 already exists" + System.lineSeparator());
    }

    @Test
    void unreachableDaemonHasItsOwnExitCode() {
        assertThat(ErrorReporter.exitCode(new DaemonUnavailableException("gone"))).isEqualTo(ExitCodes.DAEMON_UNAVAILABLE);
    }

    @Test
    void unexpectedExceptionSaysHowToSeeDetails() {
        assertThat(ErrorReporter.message(new NullPointerException("x"))).contains("BANGER_DEBUG=1");
        assertThat(ErrorReporter.exitCode(new NullPointerException("x"))).isEqualTo(ExitCodes.FAILURE);
    }
}
