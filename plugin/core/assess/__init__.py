"""Accuracy assessment of a run: the blind audit sample and the accuracy report (pure Python).

- `sampling`: sample size (Olofsson et al. 2014 eq. 13), allocation with a minimum per class,
  reproducible stratified selection.
- `audit`: the sample and its design in results.sqlite; reference decisions apart from reviews
  (`draw_sample`, `Audit.items/progress/set_reference/clear_reference/undo/references`,
  `write_sample_csv`). The dock's Audit filter is a thin view of `Audit`.
- `estimators`: Olofsson et al. 2014 estimators (error matrix, accuracies, adjusted areas, CIs).
- `report`: the table (OUTPUT_TABLE) and the self-contained HTML report.
"""
