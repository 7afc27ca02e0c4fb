package dev.banger.doctor;

/**
 * Base of the standard checks: each has a fixed name and reads the host through the shared
 * {@link DoctorContext}. Subclasses must stay safe for concurrent use.
 */
abstract class ContextCheck implements Check {
    final DoctorContext ctx;
    private final String name;

    ContextCheck(String name, DoctorContext ctx) {
        this.name = name;
        this.ctx = ctx;
    }

    @Override
    public final String name() {
        return name;
    }
}
