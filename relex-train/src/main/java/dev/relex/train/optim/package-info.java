/**
 * Optimisation: AdamW as torch computes it on CPU, the reference trainer's parameter groups, global-norm
 * gradient clipping, Hugging Face learning-rate schedules, and exportable optimizer state.
 *
 * <h2>Use</h2>
 * <pre>{@code
 * List<ParamGroup> groups = ParameterGroups.reference(params, lr, weightDecay, othersLr, othersWeightDecay,
 *                                                     p -> !frozen.contains(p));
 * AdamW opt = new AdamW(groups);                        // betas (0.9, 0.999), eps 1e-8
 * LearningRateSchedule schedule = LearningRateSchedule.of(Kind.LINEAR, totalSteps,
 *         LearningRateSchedule.warmupSteps(totalSteps, warmupSteps, warmupRatio));
 * // per optimizer step: fill gradients (sum micro-batches; scale each micro-batch loss by 1/steps), then
 * GradientClipping.clipGlobalNorm(opt.parameters(), maxGradNorm);
 * opt.step(schedule.factor(opt.steps()));               // calls Parameter.valuesChanged() on each update
 * opt.zeroGrad();
 * // resumable training:
 * opt.exportState().writeTo(new SafeTensorsWriter()).write(file);
 * opt.importState(OptimizerState.readFrom(SafeTensors.open(file)));
 * }</pre>
 * After a step the model must rebuild its derived inference forms (fused or packed copies) itself.
 * Parameters without a gradient are skipped entirely, as torch skips {@code grad = None}. Every loop runs
 * in a fixed order, so a run is bitwise reproducible and export → import → step equals an uninterrupted
 * run bit for bit.
 */
package dev.relex.train.optim;
