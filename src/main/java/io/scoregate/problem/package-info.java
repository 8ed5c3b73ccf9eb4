/**
 * Failures that carry their own HTTP status and problem type, usable by every unit. This package
 * depends on no other unit of scoregate, so nothing that uses it can form a cycle through it.
 */
package io.scoregate.problem;
