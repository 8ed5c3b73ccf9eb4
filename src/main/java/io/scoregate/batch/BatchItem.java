package io.scoregate.batch;

/**
 * One input line as validated at submission: the company (a national key, or an LEI to resolve),
 * the amount and term in decision mode, and the caller's reference; or, for a line that cannot be
 * worked, its error (JSON) that becomes the line's result.
 */
record BatchItem(
    int line,
    String reference,
    String country,
    String nationalId,
    String lei,
    Double amount,
    Integer paymentTerm,
    String error) {}
