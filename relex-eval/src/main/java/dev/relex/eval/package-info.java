/** relex-eval (see docs/ARCHITECTURE.md). */
package dev.relex.eval;
