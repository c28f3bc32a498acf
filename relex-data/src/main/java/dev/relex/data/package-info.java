/** relex-data (see docs/ARCHITECTURE.md). */
package dev.relex.data;
