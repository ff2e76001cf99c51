package dev.tally.web;

import dev.tally.record.FieldError;
import java.util.List;

/** Query parameters that break a rule: answered with 400 naming each parameter. */
public class BadParameter extends RuntimeException {

    private final List<FieldError> errors;

    public BadParameter(List<FieldError> errors) {
        super(errors.toString());
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
