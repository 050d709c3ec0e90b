// Package update keeps a Hive-partitioned dataset of incidents (written by
// `incidents export --partition-by ...`) current: [Apply] diffs the
// dataset against a new release or an incremental download (package diff,
// matched by incident_id), writes the added and revised incidents, removes
// the deleted ones (not with Options.NoDeletes), and rewrites only the
// partitions the changes touch.
//
// The new tree is built beside the dataset (a hidden sibling folder): the
// files of untouched partitions are hard links, touched partitions get new
// files (named part-uN-NNNN for the N-th update, so a listing of the old
// tree never names a file of the new one), and a manifest
// (_incidents_updates.json) records the update. One
// renameat2(RENAME_EXCHANGE) then swaps the two folders: every lookup of
// the dataset's path finds the old tree or the new one, never a mix, and
// the dataset stays a plain folder (a symbolic-link swap would have made
// it a link, which tools that copy or remove folders treat differently).
// Until the swap nothing of the dataset is changed: an error or a
// cancelled context leaves it as it was and removes the new tree.
//
// update depends on diff, export and schema.
package update
