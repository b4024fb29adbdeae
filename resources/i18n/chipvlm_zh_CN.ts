<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
  <context>
    <name>ChipVLM</name>
    <message>
      <location filename="../../plugin/core/review.py" line="107" />
      <source>The folder {0} has no results.sqlite: classify its chips first, or open the results file itself.</source>
      <translation>文件夹 {0} 中没有 results.sqlite:请先识别其切片,或直接打开结果文件。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/review.py" line="113" />
      <source>The results file {0} does not exist.</source>
      <translation>结果文件 {0} 不存在。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/review.py" line="123" />
      <source>{0} cannot be read: {1}.</source>
      <translation>无法读取 {0}:{1}。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/review.py" line="125" />
      <source>{0} is empty: it is not a results file of ChipVLM.</source>
      <translation>{0} 是空文件:不是 ChipVLM 的结果文件。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/review.py" line="128" />
      <source>{0} is the CSV export of a run: open the results.sqlite beside it (the review stores its decisions there).</source>
      <translation>{0} 是某次运行导出的 CSV:请打开它旁边的 results.sqlite(复核结果保存在其中)。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/review.py" line="132" />
      <source>{0} is not a results file of ChipVLM (not an SQLite database).</source>
      <translation>{0} 不是 ChipVLM 的结果文件(不是 SQLite 数据库)。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/review.py" line="140" />
      <source>{0} cannot be opened as a results file: {1}.</source>
      <translation>无法把 {0} 作为结果文件打开:{1}。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/review.py" line="142" />
      <source>{0} has no results table: it is not a results file of ChipVLM (a GeoPackage or another database?). Open the results.sqlite of a run.</source>
      <translation>{0} 中没有 results 表:不是 ChipVLM 的结果文件(是 GeoPackage 或其他数据库?)。请打开某次运行的 results.sqlite。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/review.py" line="148" />
      <source>The results table of {0} lacks the columns {1}: it was not written by ChipVLM.</source>
      <translation>{0} 的 results 表缺少字段 {1}:它不是由 ChipVLM 写出的。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/review.py" line="157" />
      <source>{0} is busy: another program (a classification?) has been writing to it for a while. Nothing was stored; try again.</source>
      <translation>{0} 正忙:另一个程序(正在识别?)已写入较长时间。本次未保存任何内容,请重试。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/review.py" line="161" />
      <source>{0} cannot be read or written: {1}.</source>
      <translation>无法读写 {0}:{1}。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/review.py" line="172" />
      <source>'{0}' is not a fid: type fids as numbers, e.g. 12, 40-45.</source>
      <translation>'{0}' 不是 fid:请输入数字,例如 12, 40-45。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/review.py" line="178" />
      <source>The fid range '{0}' is too large.</source>
      <translation>fid 范围 '{0}' 太大。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/review.py" line="506" />
      <source>ERROR (-1) means 'not classified'; choose a class, or 0 when you cannot tell.</source>
      <translation>ERROR(-1)表示“未识别”;请选择一个类别,无法判断时选 0。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/review.py" line="509" />
      <source>Class {0} is not in this run's scheme ({1}).</source>
      <translation>类别 {0} 不在本次运行的分类方案中({1})。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/review.py" line="571" />
      <location filename="../../plugin/core/review.py" line="536" />
      <source>Fid {0} is not in {1}.</source>
      <translation>fid {0} 不在 {1} 中。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="79" />
      <source>ChipVLM: classify chips</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="96" />
      <source>Chip index (chips_index.csv *.csv)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="97" />
      <source>Chip index of a run</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="98" />
      <source>chips_index.csv written by Cut chips</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="100" />
      <source>Chip index</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="106" />
      <source>Every checked endpoint takes batches from the same queue</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="109" />
      <source>No endpoint saved yet: add one with Model endpoints…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="113" />
      <location filename="../../plugin/plugin.py" line="117" />
      <source>Model endpoints…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="114" />
      <source>Add, edit and test the servers</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="119" />
      <source>Endpoints</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="122" />
      <source>each endpoint's own model</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="123" />
      <source>Optional: ask every checked endpoint for this model instead</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="124" />
      <source>Model override</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="137" />
      <source>Use a class scheme from a .json file</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="141" />
      <location filename="../../plugin/gui/classify_dialog.py" line="230" />
      <source>Class scheme</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="146" />
      <source> chips per request</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="147" />
      <source>Batch size</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="151" />
      <source>all chips</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="152" />
      <source>Classify only this many chips in this run (0: all); a later run does the rest</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="153" />
      <source>Limit</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="155" />
      <source>Retry chips that ended as errors</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="161" />
      <location filename="../../plugin/processing/classify_chips.py" line="136" />
      <source>Results (*.sqlite)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="162" />
      <source>Results file</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="163" />
      <source>results.sqlite beside the index</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="165" />
      <source>Results</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="167" />
      <source>The run goes on in the background (see the task manager): QGIS stays usable, cancel keeps every finished batch and a new run continues from there.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="174" />
      <source>Start</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="230" />
      <source>Class scheme (*.json)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="289" />
      <source>Choose the chips_index.csv of a run (made by Cut chips).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="291" />
      <source>The chip index {0} does not exist.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="294" />
      <source>No endpoint is saved: add one with Model endpoints….</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="295" />
      <source>Check at least one endpoint to send chips to.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="304" />
      <source>A classification into {0} is already running: wait for it, or cancel it in the task manager (finished batches are kept).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="336" />
      <source>Classifying the chips of {0} on {1}; progress in the task manager.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="344" />
      <source>Cannot start</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/classify_task.py" line="50" />
      <source>ChipVLM: classifying chips</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/classify_task.py" line="92" />
      <source>The classification failed unexpectedly: {0} (details in the ChipVLM log).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/classify_task.py" line="125" />
      <source>Classification stopped: {0}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/classify_task.py" line="129" />
      <source>Classification canceled after {0} chips; finished batches are saved, start it again to continue where it stopped.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/classify_task.py" line="133" />
      <source>Classification finished: {0} chips classified, {1} errors, {2} needing review.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/classify_task.py" line="136" />
      <source>Nothing to classify: every chip of the index already has a class.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/classify_task.py" line="137" />
      <location filename="../../plugin/processing/classify_chips.py" line="224" />
      <source>Results: {0}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="51" />
      <source>OpenAI API</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="51" />
      <source>Ollama</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="57" />
      <source>{0} ({1}): not reachable.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="61" />
      <source>{0}: reachable</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="63" />
      <source>server version {0}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="65" />
      <source>model {0} present</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="67" />
      <source>model {0} NOT found</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="69" />
      <source>vision: yes</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="71" />
      <source>vision: NO, this model cannot read images</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="73" />
      <source>vision: unknown</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="83" />
      <source>not reachable</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="85" />
      <source>model missing</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="87" />
      <source>no vision</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="89" />
      <source>OK</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="89" />
      <source>OK, version {0}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="90" />
      <source>see details</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="105" />
      <source>ChipVLM: testing endpoint {0}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="118" />
      <source>The test was canceled.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="152" />
      <source>ChipVLM model endpoints</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="169" />
      <source>The servers that classify chips. A run can use several at once: one Ollama per GPU, each on its own port, or an OpenAI-compatible gateway such as Open WebUI or vLLM.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="176" />
      <source>At once</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="190" />
      <source>Add</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="191" />
      <source>Add an endpoint</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="193" />
      <source>Remove</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="194" />
      <source>Remove the selected endpoints</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="196" />
      <source>Test</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="197" />
      <source>Ask the selected endpoints for their version, the model and its vision capability</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="205" />
      <source>Selected endpoint</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="208" />
      <source>e.g. gpu0</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="212" />
      <source>Ollama native (/api/chat)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="213" />
      <source>OpenAI-compatible (Open WebUI, vLLM, llama.cpp)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="220" />
      <source>How many requests this server runs at once (OLLAMA_NUM_PARALLEL)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="225" />
      <source>How long to wait for one answer before trying again</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="227" />
      <source>Optional: a QGIS authentication configuration holding the API key (Basic method, key as password); only its id is saved</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="229" />
      <location filename="../../plugin/gui/endpoints_dialog.py" line="176" />
      <source>Name</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="230" />
      <location filename="../../plugin/gui/endpoints_dialog.py" line="176" />
      <source>Base URL</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="231" />
      <location filename="../../plugin/gui/endpoints_dialog.py" line="176" />
      <source>API</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="232" />
      <location filename="../../plugin/gui/endpoints_dialog.py" line="176" />
      <source>Model</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="233" />
      <source>Requests at once</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="234" />
      <location filename="../../plugin/gui/endpoints_dialog.py" line="176" />
      <source>Timeout</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="235" />
      <location filename="../../plugin/gui/endpoints_dialog.py" line="177" />
      <source>API key</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="239" />
      <location filename="../../plugin/gui/endpoints_dialog.py" line="177" />
      <source>Last test</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="272" />
      <source>none</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="272" />
      <source>auth config {0}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="273" />
      <source>testing…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="357" />
      <source>Testing {0}…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="359" />
      <source>Not tested yet.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="396" />
      <source>cannot test</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="446" />
      <source>An endpoint at {0} has no name: name it, e.g. gpu0.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="448" />
      <source>Two endpoints are named {0}: results and progress are reported by name, give each its own.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="457" />
      <location filename="../../plugin/gui/endpoints_dialog.py" line="468" />
      <source>Not saved</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="106" />
      <source>reviewed</source>
      <translation>已复核</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="107" />
      <source>to review</source>
      <translation>待复核</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="108" />
      <source>error</source>
      <translation>错误</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="109" />
      <source>model</source>
      <translation>模型</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="275" />
      <source>no chip image</source>
      <translation>无切片图像</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="408" />
      <source>fid {0}: model says {1} {2}</source>
      <translation>fid {0}:模型判为 {1} {2}</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="412" />
      <source>reviewed: {0} {1} ({2}, {3})</source>
      <translation>复核为:{0} {1}({2},{3})</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="542" />
      <source>No chip selected</source>
      <translation>未选中切片</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="550" />
      <source>The chip image cannot be read:</source>
      <translation>无法读取切片图像:</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="552" />
      <source>Chip image not found:</source>
      <translation>找不到切片图像:</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="552" />
      <source>(no path recorded)</source>
      <translation>(未记录路径)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="574" />
      <location filename="../../plugin/gui/review_dock.py" line="1305" />
      <source>ChipVLM review</source>
      <translation>ChipVLM 复核</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="606" />
      <source>Run</source>
      <translation>运行</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="608" />
      <source>results.sqlite of a run, or its folder</source>
      <translation>某次运行的 results.sqlite 或其文件夹</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="609" />
      <source>Type or paste the results.sqlite of a run or its folder and press Enter, or drop one on the dock</source>
      <translation>输入或粘贴某次运行的 results.sqlite 或其文件夹后按回车,或把它拖到本面板上</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="613" />
      <source>Open…</source>
      <translation>打开…</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="614" />
      <source>Open the results.sqlite of a run</source>
      <translation>打开某次运行的 results.sqlite</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="619" />
      <source>Layer</source>
      <translation>图层</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="624" />
      <source>The layer the chips were cut from</source>
      <translation>切片所来自的图层</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="626" />
      <source>Fid field</source>
      <translation>fid 字段</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="629" />
      <source>The field the chips were named by (empty = feature id)</source>
      <translation>切片命名所用的字段(留空 = 要素 ID)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="635" />
      <source>Needs review</source>
      <translation>需复核</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="635" />
      <source>All results</source>
      <translation>全部结果</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="636" />
      <source>Errors</source>
      <translation>错误</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="640" />
      <location filename="../../plugin/gui/review_dock.py" line="875" />
      <source>Any class</source>
      <translation>任意类别</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="643" />
      <source>Reviewed or not</source>
      <translation>已复核或未复核</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="643" />
      <source>Not reviewed</source>
      <translation>未复核</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="643" />
      <source>Reviewed</source>
      <translation>已复核</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="647" />
      <source>By fid</source>
      <translation>按 fid 排序</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="648" />
      <source>By class</source>
      <translation>按类别排序</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="654" />
      <source>fids, e.g. 12, 40-45</source>
      <translation>fid,例如 12, 40-45</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="657" />
      <source>Filter to map selection</source>
      <translation>只看地图上选中的要素</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="659" />
      <source>List only the chips of the features selected on the map</source>
      <translation>只列出地图上选中要素的切片</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="674" />
      <source>Reviewed out of needing review</source>
      <translation>已复核 / 需复核</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="698" />
      <source>Confirm (Space)</source>
      <translation>确认(空格)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="699" />
      <location filename="../../plugin/gui/review_dock.py" line="1111" />
      <source>Accept the model's class (Space or Enter)</source>
      <translation>接受模型给出的类别(空格或回车)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="701" />
      <source>Next to review (N)</source>
      <translation>下一个待复核(N)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="702" />
      <source>Jump to the next chip not reviewed yet (N or Tab)</source>
      <translation>跳到下一个尚未复核的切片(N 或 Tab)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="706" />
      <source>Undo (Ctrl+Z)</source>
      <translation>撤销(Ctrl+Z)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="708" />
      <location filename="../../plugin/processing/write_classes.py" line="54" />
      <source>Write classes to layer</source>
      <translation>写入图层</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="710" />
      <source>Write the final classes (reviewed, else the model's) into the linked layer</source>
      <translation>把最终类别(有复核用复核,否则用模型结果)写入关联的图层</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="737" />
      <source>0–9 class · Space/Enter confirm · arrows move · N next to review · Ctrl+Z undo · Del forget</source>
      <translation>0–9 设类别 · 空格/回车 确认 · 方向键 移动 · N 下一个待复核 · Ctrl+Z 撤销 · Del 清除复核</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="778" />
      <source>Open the results of a run</source>
      <translation>打开某次运行的结果</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="778" />
      <source>Results (results.sqlite *.sqlite)</source>
      <translation>结果文件 (results.sqlite *.sqlite)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="788" />
      <source>Type the results.sqlite of a run, or its folder.</source>
      <translation>请输入某次运行的 results.sqlite 或其文件夹。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="828" />
      <source>Opened {0}: {1} results.</source>
      <translation>已打开 {0}:共 {1} 条结果。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="884" />
      <source>Set class {0} {1}</source>
      <translation>设为类别 {0} {1}</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="946" />
      <location filename="../../plugin/gui/review_dock.py" line="1297" />
      <source>Choose the layer the chips were cut from first.</source>
      <translation>请先选择切片所来自的图层。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="959" />
      <source>No feature is selected on the map: the list is empty.</source>
      <translation>地图上没有选中的要素:列表为空。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="1112" />
      <source>Accept the model's class {0} {1} (Space or Enter)</source>
      <translation>接受模型给出的类别 {0} {1}(空格或回车)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="1139" />
      <source>Model: {0} {1}</source>
      <translation>模型:{0} {1}</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="1145" />
      <source>Reviewed: &lt;b&gt;{0} {1}&lt;/b&gt; by {2}, {3}</source>
      <translation>复核:&lt;b&gt;{0} {1}&lt;/b&gt;,{2},{3}</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="1157" />
      <location filename="../../plugin/gui/review_dock.py" line="1293" />
      <source>Open the results of a run first.</source>
      <translation>请先打开某次运行的结果。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="1181" />
      <source>Set to {0} {1}.</source>
      <translation>已设为 {0} {1}。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="1196" />
      <source>The model gave no class for {0} (error): press a number key to choose one.</source>
      <translation>模型没有给出 {0} 的类别(错误):请按数字键选择类别。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="1202" />
      <source>Confirmed the model's class.</source>
      <translation>已确认模型给出的类别。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="1208" />
      <source>Decision forgotten: back to the model's class.</source>
      <translation>已取消复核:恢复为模型给出的类别。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="1216" />
      <source>Nothing to undo.</source>
      <translation>没有可撤销的操作。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="1221" />
      <source>Undone: {0} chip(s).</source>
      <translation>已撤销:{0} 个切片。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="1244" />
      <source>Every chip in this list is reviewed.</source>
      <translation>列表中的切片都已复核。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="1303" />
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="1303" />
      <source>Writing the classes into '{0}'…</source>
      <translation>正在把类别写入 '{0}'…</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="1326" />
      <source>No run open</source>
      <translation>未打开运行结果</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="1333" />
      <source>Reviewed {0} of {1} needing review</source>
      <translation>已复核 {0} / 共 {1} 个需复核</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="1334" />
      <source>{0} chips listed</source>
      <translation>列出 {0} 个切片</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="74" />
      <source>The class field, the class name field and the review field need three different names (got '{0}', '{1}', '{2}').</source>
      <translation>类别字段、类别名称字段和复核字段必须是三个不同的名称(现为 '{0}'、'{1}'、'{2}')。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="88" />
      <source>a whole number</source>
      <translation>整数</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="88" />
      <source>a text</source>
      <translation>文本</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="90" />
      <source>The field '{0}' of layer '{1}' is of type {2}, but ChipVLM writes {3} there. Choose another field name, or rename or delete that field.</source>
      <translation>图层 '{1}' 的字段 '{0}' 类型为 {2},但 ChipVLM 要写入{3}。请换一个字段名,或重命名、删除该字段。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="111" />
      <source>Writing the classes was canceled after {0} of {1} features of '{2}'; those keep their new class. Write again to finish.</source>
      <translation>已在写入图层 '{2}' 的 {1} 个要素中的 {0} 个后取消;已写入的要素保留新类别。再次写入即可完成。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="113" />
      <source>{0} features of '{1}' got their class.</source>
      <translation>图层 '{1}' 中 {0} 个要素已写入类别。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="115" />
      <source>New fields: {0}.</source>
      <translation>新建字段:{0}。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="117" />
      <source>The layer is in edit mode: save its edits to keep them (Ctrl+Z undoes them).</source>
      <translation>图层处于编辑状态:保存编辑后才会生效(Ctrl+Z 可撤销)。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="119" />
      <source>{0} features have no result and were left as they are.</source>
      <translation>{0} 个要素没有结果,保持不变。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="125" />
      <source>{0} results have no feature in the layer (fids {1}{2}): is it the layer the chips were cut from, with the same fid field?</source>
      <translation>{0} 条结果在图层中找不到要素(fid {1}{2}):这是切片所来自的图层吗?fid 字段是否相同?</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="147" />
      <location filename="../../plugin/processing/write_classes.py" line="174" />
      <source>Layer '{0}' has no field '{1}' to match the results' fids.</source>
      <translation>图层 '{0}' 没有用来匹配结果 fid 的字段 '{1}'。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="173" />
      <source>The layer to write classes into is not valid.</source>
      <translation>要写入类别的图层无效。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="180" />
      <source>The field '{0}' of layer '{1}' is a virtual or joined field: ChipVLM cannot write into it. Remove it, or choose another field name.</source>
      <translation>图层 '{1}' 的字段 '{0}' 是虚拟字段或连接字段:ChipVLM 无法写入。请删除它,或换一个字段名。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="187" />
      <source>A shapefile's field names have at most 10 characters: '{0}' would be cut short. Choose a shorter name, or save the layer as a GeoPackage.</source>
      <translation>Shapefile 的字段名最多 10 个字符:'{0}' 会被截断。请换一个更短的名称,或把图层另存为 GeoPackage。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="193" />
      <source>Layer '{0}' is read-only: ChipVLM cannot write classes into it. Save it as a GeoPackage (or run 'Write classes' to a new layer) and try again.</source>
      <translation>图层 '{0}' 是只读的:ChipVLM 无法写入类别。请另存为 GeoPackage(或用“写入类别”输出到新图层)后重试。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="198" />
      <source>Layer '{0}' cannot get new fields ({1}). Add them yourself, or write to a new layer.</source>
      <translation>图层 '{0}' 无法新建字段({1})。请手动添加这些字段,或写入新图层。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="264" />
      <source>Write ChipVLM classes</source>
      <translation>写入 ChipVLM 类别</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="269" />
      <source>The field '{0}' cannot be added to layer '{1}'.</source>
      <translation>无法向图层 '{1}' 添加字段 '{0}'。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="278" />
      <source>Writing the classes was canceled; the layer is unchanged.</source>
      <translation>已取消写入类别,图层未改变。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="283" />
      <source>Feature {0} of layer '{1}' could not be changed.</source>
      <translation>无法修改图层 '{1}' 的要素 {0}。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="298" />
      <source>The fields {0} cannot be added to layer '{1}': {2}</source>
      <translation>无法向图层 '{1}' 添加字段 {0}:{2}</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="315" />
      <source>Layer '{0}' could not save the classes ({1} features saved before): {2}</source>
      <translation>图层 '{0}' 无法保存类别(此前已保存 {1} 个要素):{2}</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="328" />
      <source>The new fields of layer '{0}' could not be found after adding them.</source>
      <translation>图层 '{0}' 添加新字段后找不到这些字段。</translation>
    </message>
    <message>
      <location filename="../../plugin/plugin.py" line="62" />
      <source>Review results</source>
      <translation>复核结果</translation>
    </message>
    <message>
      <location filename="../../plugin/plugin.py" line="64" />
      <source>Review the classes of a run and write them back to the layer</source>
      <translation>复核某次运行的类别并写回图层</translation>
    </message>
    <message>
      <location filename="../../plugin/plugin.py" line="113" />
      <source>Classify chips…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/plugin.py" line="115" />
      <source>Classify the chips of a run with a vision model, in the background</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/plugin.py" line="119" />
      <source>Add, edit and test the model servers</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="69" />
      <source>Classify chips</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="72" />
      <location filename="../../plugin/processing/merge_results.py" line="45" />
      <source>Classify objects</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="78" />
      <source>Sends the chips of a chips index (made by 'Cut feature chips') to a vision-language model, BATCH_SIZE chips per request, and stores one class per fid in results.sqlite (with results.csv beside it).

Endpoints: the base URLs of the model servers, comma-separated (e.g. http://gpu1:11434, http://gpu2:11434); all of them work from one queue, a dead one is paused and its work goes to the others. Empty: the endpoints saved in the ChipVLM settings, with their API keys from QGIS's authentication database. MODEL, when given, replaces the model of every endpoint.

An answer is accepted only when its fids are exactly the batch's and every class is in the scheme; otherwise the batch is split and retried, and a chip that still fails gets class -1 (ERROR). The run resumes: a rerun classifies only the chips without a class (and, with RETRY_ERRORS, the errors). Cancel keeps every finished batch.

The CLASSIFIED, ERRORS and NEEDS_REVIEW outputs count the rows of the whole results file.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="96" />
      <source>Chips index (chips_index.csv)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="98" />
      <source>Chips index (*.csv);;All files (*)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="100" />
      <source>Endpoints (comma-separated base URLs; empty = the saved endpoints)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="103" />
      <source>Model (empty = each saved endpoint's model, or {0})</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="107" />
      <source>Class scheme (a shipped one: {0}; or the path of a .json file)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="110" />
      <source>Chips per request</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="114" />
      <source>Only the first N chips still to do (0 = all)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="117" />
      <source>Retry chips that ended as errors (-1) in an earlier run</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="119" />
      <source>API of the endpoints given above (URLs ending in /v1 are OpenAI-compatible)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="120" />
      <source>Ollama (native API)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="120" />
      <source>OpenAI-compatible (vLLM, llama.cpp, Open WebUI)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="123" />
      <source>Requests at once per endpoint given above</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="126" />
      <source>Timeout per request, seconds (endpoints given above)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="135" />
      <source>Results file (empty = results.sqlite beside the chips index)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="137" />
      <source>Results table (results.csv)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="138" />
      <source>Chips with a class</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="139" />
      <source>Chips that ended as errors</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="140" />
      <source>Chips needing review</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="165" />
      <source>No model given: asking for {0}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="172" />
      <source>Using the saved endpoints: {0}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="182" />
      <source>Choose the chips index (chips_index.csv) made by 'Cut feature chips'.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="195" />
      <source>Reading the chips index and checking the endpoints</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="214" />
      <source>results.sqlite beside the chips index</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="216" />
      <source>Cannot write the results file {0}: {1}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="222" />
      <source>Index rows without a chip (not sent): {0}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="238" />
      <source>The results so far are in {0}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/processing/merge_results.py" line="42" />
      <source>Merge results</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/processing/merge_results.py" line="51" />
      <source>Merges results files (results.sqlite or results.csv) made by other runs or on other machines into one file, by fid. An analyst's reviewed class beats a model's class, a real class beats 0 (cannot tell), which beats -1 (ERROR). Where two inputs give different classes at the same level, the most recent one is kept, flagged for review, and the conflict is listed in the log. Only results made with the same class scheme can be merged.

The output is a results.sqlite (with a .csv of the same name beside it) or a .csv.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/processing/merge_results.py" line="62" />
      <source>Results files (.sqlite or .csv)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/processing/merge_results.py" line="64" />
      <source>Merged results</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/processing/merge_results.py" line="64" />
      <source>Results (*.sqlite);;CSV (*.csv)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/processing/merge_results.py" line="65" />
      <source>Merged results table (.csv)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/processing/merge_results.py" line="66" />
      <source>Fids in the merged results</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/processing/merge_results.py" line="67" />
      <source>Conflicts (flagged for review)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/processing/merge_results.py" line="73" />
      <source>Choose the results files to merge.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/processing/merge_results.py" line="76" />
      <source>The merged results must be a .sqlite or a .csv file, not {0}.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/processing/merge_results.py" line="77" />
      <source>Merging {0} results files</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/processing/merge_results.py" line="84" />
      <source>Cannot write the merged results to {0}: {1}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/processing/merge_results.py" line="87" />
      <source>{0}: {1} rows</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/processing/merge_results.py" line="89" />
      <source>Conflict: {0}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/processing/merge_results.py" line="91" />
      <source>... and {0} more conflicts, all flagged for review.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../../plugin/processing/write_classes.py" line="63" />
      <source>Writes the final class of every result of a run into the vector layer the chips were cut from: the reviewed class where an analyst decided, else the model's class. Three fields get it: the class id (whole number), the class name (text) and 'review' (reviewed, to_review, error or model); they are created when missing. In place, a layer in edit mode gets the values in its edit buffer as one undoable edit command (save its edits to keep them); a layer not in edit mode is written and saved directly. Otherwise a copy of the layer with these fields is written to the output. Results are matched by the fid field the chips were cut with (empty = feature id).</source>
      <translation>把某次运行每条结果的最终类别写入切片所来自的矢量图层:有人工复核的用复核类别,否则用模型类别。写入三个字段:类别编号(整数)、类别名称(文本)和 'review'(reviewed、to_review、error 或 model);字段不存在时自动创建。直接写入时,处于编辑状态的图层把这些值放入编辑缓冲区,作为一条可撤销的编辑命令(保存编辑后才会生效);不在编辑状态的图层直接写入并保存。否则把带有这些字段的图层副本写到输出。结果按切片时使用的 fid 字段匹配(留空 = 要素 ID)。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/write_classes.py" line="81" />
      <source>Vector layer</source>
      <translation>矢量图层</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/write_classes.py" line="87" />
      <source>Results (results.sqlite)</source>
      <translation>结果文件 (results.sqlite)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/write_classes.py" line="89" />
      <source>Results (*.sqlite);;All files (*)</source>
      <translation>结果文件 (*.sqlite);;所有文件 (*)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/write_classes.py" line="95" />
      <source>Fid field (empty = feature id)</source>
      <translation>fid 字段(留空 = 要素 ID)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/write_classes.py" line="101" />
      <source>Class id field</source>
      <translation>类别 ID 字段</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/write_classes.py" line="104" />
      <source>Class name field</source>
      <translation>类别名称字段</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/write_classes.py" line="108" />
      <source>Write into the input layer itself</source>
      <translation>直接写入输入图层</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/write_classes.py" line="114" />
      <source>Layer with classes (not used when writing in place)</source>
      <translation>带类别的图层(原地写入时不使用)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/write_classes.py" line="120" />
      <source>Features that got a class</source>
      <translation>已写入类别的要素数</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/write_classes.py" line="122" />
      <source>Results without a feature in the layer</source>
      <translation>图层中找不到要素的结果数</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/write_classes.py" line="128" />
      <source>The input layer cannot be read.</source>
      <translation>无法读取输入图层。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/write_classes.py" line="135" />
      <source>Reading the final classes of {0}</source>
      <translation>正在读取 {0} 的最终类别</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/write_classes.py" line="140" />
      <source>{0} results read.</source>
      <translation>已读取 {0} 条结果。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/write_classes.py" line="167" />
      <source>Choose an output layer, or write into the input layer itself (IN_PLACE).</source>
      <translation>请选择输出图层,或直接写入输入图层(IN_PLACE)。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/write_classes.py" line="197" />
      <source>Feature {0} could not be written: {1}</source>
      <translation>无法写入要素 {0}:{1}</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/write_classes.py" line="202" />
      <source>{0} features got a class.</source>
      <translation>{0} 个要素已写入类别。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/write_classes.py" line="205" />
      <source>{0} results have no feature in layer '{1}': is it the layer the chips were cut from, with the same fid field?</source>
      <translation>{0} 条结果在图层 '{1}' 中找不到要素:这是切片所来自的图层吗?fid 字段是否相同?</translation>
    </message>
  </context>
</TS>
