package io.scoregate.policy;

/**
 * The platform's limits that hold whatever a tenant's rules say.
 *
 * @param maxAmountCap no credit limit is ever above this (EUR)
 * @param amountRounding credit limits are rounded down to a multiple of this
 * @param maxPaymentTermDays no payment term limit is ever above this (days)
 * @param overLimit the best recommendation for a request above the limits granted
 */
public record PolicyLimits(
    double maxAmountCap, double amountRounding, int maxPaymentTermDays, Recommendation overLimit) {}
