package dev.banger.doctor;

import dev.banger.model.CheckResult;
import dev.banger.model.CheckStatus;
import java.util.List;

/**
 * Whether a set of programs banger calls is on PATH (e2fsprogs, debootstrap). Safe for concurrent use.
 */
final class ProgramsCheck extends ContextCheck {
    private final List<String> programs;
    private final CheckStatus whenMissing;
    private final String consequence;
    private final String remedy;

    /**
     * @param consequence what does not work without the programs, e.g. "disks cannot be created"
     * @param remedy      how to install them
     */
    ProgramsCheck(String name, DoctorContext ctx, List<String> programs, CheckStatus whenMissing,
                  String consequence, String remedy) {
        super(name, ctx);
        this.programs = List.copyOf(programs);
        this.whenMissing = whenMissing;
        this.consequence = consequence;
        this.remedy = remedy;
    }


    @Override
    public CheckResult run() {
        List<String> missing = programs.stream().filter(p -> !ctx.host().available(p)).toList();
        if (missing.isEmpty()) {
            return CheckResult.ok(name(), String.join(", ", programs) + (programs.size() > 1 ? " are" : " is") + " installed");
        }
        return new CheckResult(name(), whenMissing, String.join(", ", missing) + (missing.size() > 1 ? " are" : " is")
                + " missing, so " + consequence, remedy);
    }
}
