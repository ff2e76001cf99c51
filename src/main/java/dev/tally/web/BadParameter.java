package dev.tally.web;

import java.util.List;

/** Query parameters that break a rule: answered with 400 naming each parameter. */
public class BadParameter extends RuntimeException {

    private final List<InvalidField> errors;

    public BadParameter(List<InvalidField> errors) {
        super(errors.toString());
        this.errors = List.copyOf(errors);
    }

    public List<InvalidField> errors() {
        return errors;
    }
}
