/** relex-train (see docs/ARCHITECTURE.md). */
package dev.relex.train;
