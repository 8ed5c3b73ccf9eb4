package io.scoregate.problem;

/**
 * One field that failed validation: its name as the client sent it ({@code company.id}), a stable
 * code ({@code required}, {@code format}, {@code checksum}, {@code range}...) and a message for
 * people.
 */
public record FieldError(String field, String code, String message) {}
