export const id = 661;
export const ids = [661];
export const modules = {

/***/ 86661:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   runPost: () => (/* binding */ runPost)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(33838);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _state_cluster_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(18611);




async function runPost(driverFor) {
    const state = (0,_state_cluster_js__WEBPACK_IMPORTED_MODULE_3__/* .loadState */ .C7)();
    if (!state) {
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq('setup-swarm created nothing in main: nothing to remove');
        return;
    }
    if (!state.cleanup) {
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`cleanup is false: kept swarm ${state.name} (driver ${state.driver}) and its files in ${state.dir}`);
        return;
    }
    const started = Date.now();
    await _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .group */ .Os(`Removing swarm ${state.name} (${state.driver})`, async () => {
        const left = await driverFor(state.driver)
            .then((driver) => driver.remove(state))
            .catch((error) => [`the ${state.driver} nodes: ${error.message}`]);
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(state.dir, { recursive: true, force: true }).catch((error) => left.push(`${state.dir}: ${error.message}`));
        // The parent is shared by the clusters of a job: it goes when the last one goes.
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rmdir)(node_path__WEBPACK_IMPORTED_MODULE_2___default().dirname(state.dir)).catch(() => undefined);
        const seconds = ((Date.now() - started) / 1000).toFixed(2);
        if (left.length) {
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`setup-swarm could not remove everything; remove these by hand:\n- ${left.join('\n- ')}`);
        }
        else {
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`removed swarm ${state.name} in ${seconds} s`);
        }
        await writePostSummary(state.name, seconds, left);
    });
}
async function writePostSummary(name, seconds, left) {
    if (!process.env.GITHUB_STEP_SUMMARY)
        return;
    const summary = _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .summary */ .z.addHeading(`Swarm ${name} removed`, 3);
    if (left.length)
        summary.addRaw('Left behind, to remove by hand:').addList(left);
    else
        summary.addRaw(`Everything removed in ${seconds} s.`);
    await summary.write().catch((error) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`could not write the job summary: ${error.message}`));
}


/***/ })

};
