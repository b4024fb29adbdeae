<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
  <context>
    <name>ChipVLM</name>
    <message>
      <location filename="../../plugin/core/review.py" line="99" />
      <source>The folder {0} has no results.sqlite: classify its chips first, or open the results file itself.</source>
      <translation>文件夹 {0} 中没有 results.sqlite:请先识别其切片,或直接打开结果文件。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/review.py" line="105" />
      <source>The results file {0} does not exist.</source>
      <translation>结果文件 {0} 不存在。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/review.py" line="115" />
      <location filename="../../plugin/core/run_info.py" line="38" />
      <source>{0} cannot be read: {1}.</source>
      <translation>无法读取 {0}:{1}。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/review.py" line="117" />
      <source>{0} is empty: it is not a results file of ChipVLM.</source>
      <translation>{0} 是空文件:不是 ChipVLM 的结果文件。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/review.py" line="120" />
      <source>{0} is the CSV export of a run: open the results.sqlite beside it (the review stores its decisions there).</source>
      <translation>{0} 是某次运行导出的 CSV:请打开它旁边的 results.sqlite(复核结果保存在其中)。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/review.py" line="124" />
      <source>{0} is not a results file of ChipVLM (not an SQLite database).</source>
      <translation>{0} 不是 ChipVLM 的结果文件(不是 SQLite 数据库)。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/review.py" line="132" />
      <source>{0} cannot be opened as a results file: {1}.</source>
      <translation>无法把 {0} 作为结果文件打开:{1}。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/review.py" line="134" />
      <source>{0} has no results table: it is not a results file of ChipVLM (a GeoPackage or another database?). Open the results.sqlite of a run.</source>
      <translation>{0} 中没有 results 表:不是 ChipVLM 的结果文件(是 GeoPackage 或其他数据库?)。请打开某次运行的 results.sqlite。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/review.py" line="140" />
      <source>The results table of {0} lacks the columns {1}: it was not written by ChipVLM.</source>
      <translation>{0} 的 results 表缺少字段 {1}:它不是由 ChipVLM 写出的。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/review.py" line="149" />
      <source>{0} is busy: another program (a classification?) has been writing to it for a while. Nothing was stored; try again.</source>
      <translation>{0} 正忙:另一个程序(正在识别?)已写入较长时间。本次未保存任何内容,请重试。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/review.py" line="153" />
      <source>{0} cannot be read or written: {1}.</source>
      <translation>无法读写 {0}:{1}。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/review.py" line="164" />
      <source>'{0}' is not a fid: type fids as numbers, e.g. 12, 40-45.</source>
      <translation>'{0}' 不是 fid:请输入数字,例如 12, 40-45。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/review.py" line="170" />
      <source>The fid range '{0}' is too large.</source>
      <translation>fid 范围 '{0}' 太大。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/review.py" line="498" />
      <source>ERROR (-1) means 'not classified'; choose a class, or 0 when you cannot tell.</source>
      <translation>ERROR(-1)表示“未识别”;请选择一个类别,无法判断时选 0。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/review.py" line="501" />
      <source>Class {0} is not in this run's scheme ({1}).</source>
      <translation>类别 {0} 不在本次运行的分类方案中({1})。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/review.py" line="563" />
      <location filename="../../plugin/core/review.py" line="528" />
      <source>Fid {0} is not in {1}.</source>
      <translation>fid {0} 不在 {1} 中。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/run_info.py" line="40" />
      <source>{0} is not a ChipVLM run record (expected a JSON object).</source>
      <translation>{0} 不是 ChipVLM 运行记录(应为 JSON 对象)。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="80" />
      <source>ChipVLM: classify chips</source>
      <translation>ChipVLM:识别切片</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="97" />
      <source>Chip index (chips_index.csv *.csv)</source>
      <translation>切片索引 (chips_index.csv *.csv)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="98" />
      <source>Chip index of a run</source>
      <translation>某次运行的切片索引</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="99" />
      <source>chips_index.csv written by Cut chips</source>
      <translation>由“切取要素切片”生成的 chips_index.csv</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="101" />
      <source>Chip index</source>
      <translation>切片索引</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="107" />
      <source>Every checked endpoint takes batches from the same queue</source>
      <translation>所有勾选的端点从同一个队列中领取批次</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="110" />
      <source>No endpoint saved yet: add one with Model endpoints…</source>
      <translation>尚未保存端点:请通过“模型端点…”添加</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="114" />
      <location filename="../../plugin/plugin.py" line="92" />
      <source>Model endpoints…</source>
      <translation>模型端点…</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="115" />
      <source>Add, edit and test the servers</source>
      <translation>添加、编辑和测试服务器</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="120" />
      <source>Endpoints</source>
      <translation>端点</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="123" />
      <source>each endpoint's own model</source>
      <translation>各端点自己的模型</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="124" />
      <source>Optional: ask every checked endpoint for this model instead</source>
      <translation>可选:让所有勾选的端点改用此模型</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="125" />
      <source>Model override</source>
      <translation>覆盖模型</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="138" />
      <source>Use a class scheme from a .json file</source>
      <translation>使用 .json 文件中的分类方案</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="142" />
      <location filename="../../plugin/gui/classify_dialog.py" line="231" />
      <source>Class scheme</source>
      <translation>分类方案</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="147" />
      <source> chips per request</source>
      <translation> 个切片/请求</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="148" />
      <source>Batch size</source>
      <translation>批次大小</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="152" />
      <source>all chips</source>
      <translation>全部切片</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="153" />
      <source>Classify only this many chips in this run (0: all); a later run does the rest</source>
      <translation>本次运行只识别这么多个切片(0:全部);其余的留给之后的运行</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="154" />
      <source>Limit</source>
      <translation>数量上限</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="156" />
      <source>Retry chips that ended as errors</source>
      <translation>重试出错的切片</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="162" />
      <location filename="../../plugin/processing/classify_chips.py" line="136" />
      <source>Results (*.sqlite)</source>
      <translation>结果文件 (*.sqlite)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="163" />
      <source>Results file</source>
      <translation>结果文件</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="164" />
      <source>results.sqlite beside the index</source>
      <translation>索引旁边的 results.sqlite</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="166" />
      <source>Results</source>
      <translation>结果</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="168" />
      <source>The run goes on in the background (see the task manager): QGIS stays usable, cancel keeps every finished batch and a new run continues from there.</source>
      <translation>识别在后台运行(见任务管理器):QGIS 可照常使用;取消后已完成的批次全部保留,再次运行会从中断处继续。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="175" />
      <source>Start</source>
      <translation>开始</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="231" />
      <source>Class scheme (*.json)</source>
      <translation>分类方案 (*.json)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="290" />
      <source>Choose the chips_index.csv of a run (made by Cut chips).</source>
      <translation>请选择某次运行的 chips_index.csv(由“切取要素切片”生成)。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="292" />
      <source>The chip index {0} does not exist.</source>
      <translation>切片索引 {0} 不存在。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="295" />
      <source>No endpoint is saved: add one in Model endpoints…</source>
      <translation>尚未保存端点:请在“模型端点…”中添加</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="296" />
      <source>Check at least one endpoint to send chips to.</source>
      <translation>请至少勾选一个用于接收切片的端点。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="305" />
      <source>A classification into {0} is already running: wait for it, or cancel it in the task manager (finished batches are kept).</source>
      <translation>已有识别任务正在写入 {0}:请等待它完成,或在任务管理器中取消它(已完成的批次会保留)。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="338" />
      <source>Classifying the chips of {0} on {1}; progress in the task manager.</source>
      <translation>正在 {1} 上识别 {0} 中的切片;进度见任务管理器。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="346" />
      <source>Cannot start</source>
      <translation>无法开始</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_task.py" line="53" />
      <source>ChipVLM: classifying chips</source>
      <translation>ChipVLM:正在识别切片</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_task.py" line="96" />
      <source>The classification failed unexpectedly: {0} (details in the ChipVLM log).</source>
      <translation>识别意外失败:{0}(详见 ChipVLM 日志)。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_task.py" line="133" />
      <source>Review</source>
      <translation>复核</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_task.py" line="143" />
      <source>Classification stopped: {0}</source>
      <translation>识别已停止:{0}</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_task.py" line="147" />
      <source>Classification canceled after {0} chips; finished batches are saved, start it again to continue where it stopped.</source>
      <translation>识别在完成 {0} 个切片后被取消;已完成的批次均已保存,再次开始即可从中断处继续。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_task.py" line="151" />
      <source>Classification finished: {0} chips classified, {1} errors, {2} needing review.</source>
      <translation>识别完成:已识别 {0} 个切片,{1} 个错误,{2} 个需复核。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_task.py" line="154" />
      <source>Nothing to classify: every chip of the index already has a class.</source>
      <translation>没有需要识别的切片:索引中的每个切片都已有类别。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_task.py" line="155" />
      <location filename="../../plugin/processing/classify_chips.py" line="224" />
      <source>Results: {0}</source>
      <translation>结果:{0}</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="51" />
      <source>OpenAI API</source>
      <translation>OpenAI API</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="51" />
      <source>Ollama</source>
      <translation>Ollama</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="57" />
      <source>{0} ({1}): not reachable.</source>
      <translation>{0}({1}):无法连接。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="61" />
      <source>{0}: reachable</source>
      <translation>{0}:可连接</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="63" />
      <source>server version {0}</source>
      <translation>服务器版本 {0}</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="65" />
      <source>model {0} present</source>
      <translation>模型 {0} 可用</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="67" />
      <source>model {0} NOT found</source>
      <translation>未找到模型 {0}</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="69" />
      <source>vision: yes</source>
      <translation>视觉:支持</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="71" />
      <source>vision: NO, this model cannot read images</source>
      <translation>视觉:不支持,该模型无法读取图像</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="73" />
      <source>vision: unknown</source>
      <translation>视觉:未知</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="83" />
      <source>not reachable</source>
      <translation>无法连接</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="85" />
      <source>model missing</source>
      <translation>缺少模型</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="87" />
      <source>no vision</source>
      <translation>不支持视觉</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="89" />
      <source>OK</source>
      <translation>正常</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="89" />
      <source>OK, version {0}</source>
      <translation>正常,版本 {0}</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="90" />
      <source>see details</source>
      <translation>见详情</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="105" />
      <source>ChipVLM: testing endpoint {0}</source>
      <translation>ChipVLM:正在测试端点 {0}</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="118" />
      <source>The test was canceled.</source>
      <translation>测试已取消。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="152" />
      <source>ChipVLM model endpoints</source>
      <translation>ChipVLM 模型端点</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="169" />
      <source>The servers that classify chips. A run can use several at once: one Ollama per GPU, each on its own port, or an OpenAI-compatible gateway such as Open WebUI or vLLM.</source>
      <translation>用于识别切片的服务器。一次运行可以同时使用多个:每块 GPU 一个 Ollama(各用自己的端口),或 Open WebUI、vLLM 等 OpenAI 兼容网关。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="176" />
      <source>At once</source>
      <translation>并发数</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="190" />
      <source>Add</source>
      <translation>添加</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="191" />
      <source>Add an endpoint</source>
      <translation>添加一个端点</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="193" />
      <source>Remove</source>
      <translation>移除</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="194" />
      <source>Remove the selected endpoints</source>
      <translation>移除选中的端点</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="196" />
      <source>Test</source>
      <translation>测试</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="197" />
      <source>Ask the selected endpoints for their version, the model and its vision capability</source>
      <translation>向选中的端点查询其版本、模型及模型的视觉能力</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="205" />
      <source>Selected endpoint</source>
      <translation>选中的端点</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="208" />
      <source>e.g. gpu0</source>
      <translation>例如 gpu0</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="212" />
      <source>Ollama native (/api/chat)</source>
      <translation>Ollama 原生接口(/api/chat)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="213" />
      <source>OpenAI-compatible (Open WebUI, vLLM, llama.cpp)</source>
      <translation>OpenAI 兼容(Open WebUI、vLLM、llama.cpp)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="220" />
      <source>How many requests this server runs at once (OLLAMA_NUM_PARALLEL)</source>
      <translation>该服务器同时处理的请求数(OLLAMA_NUM_PARALLEL)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="225" />
      <source>How long to wait for one answer before trying again</source>
      <translation>等待单个回答的时长,超时后重试</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="227" />
      <source>Optional: a QGIS authentication configuration holding the API key (Basic method, key as password); only its id is saved</source>
      <translation>可选:保存 API 密钥的 QGIS 认证配置(Basic 方法,密钥填在密码中);插件只保存该配置的 ID</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="229" />
      <location filename="../../plugin/gui/endpoints_dialog.py" line="176" />
      <source>Name</source>
      <translation>名称</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="230" />
      <location filename="../../plugin/gui/endpoints_dialog.py" line="176" />
      <source>Base URL</source>
      <translation>基础 URL</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="231" />
      <location filename="../../plugin/gui/endpoints_dialog.py" line="176" />
      <source>API</source>
      <translation>API</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="232" />
      <location filename="../../plugin/gui/endpoints_dialog.py" line="176" />
      <source>Model</source>
      <translation>模型</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="233" />
      <source>Requests at once</source>
      <translation>并发请求数</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="234" />
      <location filename="../../plugin/gui/endpoints_dialog.py" line="176" />
      <source>Timeout</source>
      <translation>超时</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="235" />
      <location filename="../../plugin/gui/endpoints_dialog.py" line="177" />
      <source>API key</source>
      <translation>API 密钥</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="239" />
      <location filename="../../plugin/gui/endpoints_dialog.py" line="177" />
      <source>Last test</source>
      <translation>上次测试</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="272" />
      <source>none</source>
      <translation>无</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="272" />
      <source>auth config {0}</source>
      <translation>认证配置 {0}</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="273" />
      <source>testing…</source>
      <translation>测试中…</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="357" />
      <source>Testing {0}…</source>
      <translation>正在测试 {0}…</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="359" />
      <source>Not tested yet.</source>
      <translation>尚未测试。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="396" />
      <source>cannot test</source>
      <translation>无法测试</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="446" />
      <source>An endpoint at {0} has no name: name it, e.g. gpu0.</source>
      <translation>位于 {0} 的端点没有名称:请为它命名,例如 gpu0。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="448" />
      <source>Two endpoints are named {0}: results and progress are reported by name, give each its own.</source>
      <translation>有两个端点都叫 {0}:结果和进度按名称报告,请为每个端点取不同的名称。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="457" />
      <location filename="../../plugin/gui/endpoints_dialog.py" line="468" />
      <source>Not saved</source>
      <translation>未保存</translation>
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
      <location filename="../../plugin/gui/review_dock.py" line="276" />
      <source>no chip image</source>
      <translation>无切片图像</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="409" />
      <source>fid {0}: model says {1} {2}</source>
      <translation>fid {0}:模型判为 {1} {2}</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="413" />
      <source>reviewed: {0} {1} ({2}, {3})</source>
      <translation>复核为:{0} {1}({2},{3})</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="543" />
      <source>No chip selected</source>
      <translation>未选中切片</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="551" />
      <source>The chip image cannot be read:</source>
      <translation>无法读取切片图像:</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="553" />
      <source>Chip image not found:</source>
      <translation>找不到切片图像:</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="553" />
      <source>(no path recorded)</source>
      <translation>(未记录路径)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="578" />
      <location filename="../../plugin/gui/review_dock.py" line="1315" />
      <source>ChipVLM review</source>
      <translation>ChipVLM 复核</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="610" />
      <source>Run</source>
      <translation>运行</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="612" />
      <source>results.sqlite of a run, or its folder</source>
      <translation>某次运行的 results.sqlite 或其文件夹</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="613" />
      <source>Type or paste the results.sqlite of a run or its folder and press Enter, or drop one on the dock</source>
      <translation>输入或粘贴某次运行的 results.sqlite 或其文件夹后按回车,或把它拖到本面板上</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="617" />
      <source>Open…</source>
      <translation>打开…</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="618" />
      <source>Open the results.sqlite of a run</source>
      <translation>打开某次运行的 results.sqlite</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="621" />
      <source>Endpoints…</source>
      <translation>端点…</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="622" />
      <source>Add, edit and test the model servers that classify chips</source>
      <translation>添加、编辑和测试用于识别切片的模型服务器</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="627" />
      <source>Layer</source>
      <translation>图层</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="633" />
      <source>The layer the chips were cut from</source>
      <translation>切片所来自的图层</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="635" />
      <source>Fid field</source>
      <translation>fid 字段</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="638" />
      <source>The field the chips were named by (empty = feature id)</source>
      <translation>切片命名所用的字段(留空 = 要素 ID)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="644" />
      <source>Needs review</source>
      <translation>需复核</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="644" />
      <source>All results</source>
      <translation>全部结果</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="645" />
      <source>Errors</source>
      <translation>错误</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="649" />
      <location filename="../../plugin/gui/review_dock.py" line="885" />
      <source>Any class</source>
      <translation>任意类别</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="652" />
      <source>Reviewed or not</source>
      <translation>已复核或未复核</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="652" />
      <source>Not reviewed</source>
      <translation>未复核</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="652" />
      <source>Reviewed</source>
      <translation>已复核</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="656" />
      <source>By fid</source>
      <translation>按 fid 排序</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="657" />
      <source>By class</source>
      <translation>按类别排序</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="663" />
      <source>fids, e.g. 12, 40-45</source>
      <translation>fid,例如 12, 40-45</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="666" />
      <source>Filter to map selection</source>
      <translation>只看地图上选中的要素</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="668" />
      <source>List only the chips of the features selected on the map</source>
      <translation>只列出地图上选中要素的切片</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="683" />
      <source>Reviewed out of needing review</source>
      <translation>已复核 / 需复核</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="707" />
      <source>Confirm (Space)</source>
      <translation>确认(空格)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="708" />
      <location filename="../../plugin/gui/review_dock.py" line="1121" />
      <source>Accept the model's class (Space or Enter)</source>
      <translation>接受模型给出的类别(空格或回车)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="710" />
      <source>Next to review (N)</source>
      <translation>下一个待复核(N)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="711" />
      <source>Jump to the next chip not reviewed yet (N or Tab)</source>
      <translation>跳到下一个尚未复核的切片(N 或 Tab)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="715" />
      <source>Undo (Ctrl+Z)</source>
      <translation>撤销(Ctrl+Z)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="717" />
      <location filename="../../plugin/processing/write_classes.py" line="54" />
      <source>Write classes to layer</source>
      <translation>写入图层</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="719" />
      <source>Write the final classes (reviewed, else the model's) into the linked layer</source>
      <translation>把最终类别(有复核用复核,否则用模型结果)写入关联的图层</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="746" />
      <source>0–9 class · Space/Enter confirm · arrows move · N next to review · Ctrl+Z undo · Del forget</source>
      <translation>0–9 设类别 · 空格/回车 确认 · 方向键 移动 · N 下一个待复核 · Ctrl+Z 撤销 · Del 清除复核</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="788" />
      <source>Open the results of a run</source>
      <translation>打开某次运行的结果</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="788" />
      <source>Results (results.sqlite *.sqlite)</source>
      <translation>结果文件 (results.sqlite *.sqlite)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="798" />
      <source>Type the results.sqlite of a run, or its folder.</source>
      <translation>请输入某次运行的 results.sqlite 或其文件夹。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="838" />
      <source>Opened {0}: {1} results.</source>
      <translation>已打开 {0}:共 {1} 条结果。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="894" />
      <source>Set class {0} {1}</source>
      <translation>设为类别 {0} {1}</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="956" />
      <location filename="../../plugin/gui/review_dock.py" line="1307" />
      <source>Choose the layer the chips were cut from first.</source>
      <translation>请先选择切片所来自的图层。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="969" />
      <source>No feature is selected on the map: the list is empty.</source>
      <translation>地图上没有选中的要素:列表为空。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="1122" />
      <source>Accept the model's class {0} {1} (Space or Enter)</source>
      <translation>接受模型给出的类别 {0} {1}(空格或回车)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="1149" />
      <source>Model: {0} {1}</source>
      <translation>模型:{0} {1}</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="1155" />
      <source>Reviewed: &lt;b&gt;{0} {1}&lt;/b&gt; by {2}, {3}</source>
      <translation>复核:&lt;b&gt;{0} {1}&lt;/b&gt;,{2},{3}</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="1167" />
      <location filename="../../plugin/gui/review_dock.py" line="1303" />
      <source>Open the results of a run first.</source>
      <translation>请先打开某次运行的结果。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="1191" />
      <source>Set to {0} {1}.</source>
      <translation>已设为 {0} {1}。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="1206" />
      <source>The model gave no class for {0} (error): press a number key to choose one.</source>
      <translation>模型没有给出 {0} 的类别(错误):请按数字键选择类别。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="1212" />
      <source>Confirmed the model's class.</source>
      <translation>已确认模型给出的类别。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="1218" />
      <source>Decision forgotten: back to the model's class.</source>
      <translation>已取消复核:恢复为模型给出的类别。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="1226" />
      <source>Nothing to undo.</source>
      <translation>没有可撤销的操作。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="1231" />
      <source>Undone: {0} chip(s).</source>
      <translation>已撤销:{0} 个切片。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="1254" />
      <source>Every chip in this list is reviewed.</source>
      <translation>列表中的切片都已复核。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="1313" />
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="1313" />
      <source>Writing the classes into '{0}'…</source>
      <translation>正在把类别写入 '{0}'…</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="1336" />
      <source>No run open</source>
      <translation>未打开运行结果</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="1343" />
      <source>Reviewed {0} of {1} needing review</source>
      <translation>已复核 {0} / 共 {1} 个需复核</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="1344" />
      <source>{0} chips listed</source>
      <translation>列出 {0} 个切片</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="83" />
      <source>The class field, the class name field and the review field need three different names (got '{0}', '{1}', '{2}').</source>
      <translation>类别字段、类别名称字段和复核字段必须是三个不同的名称(现为 '{0}'、'{1}'、'{2}')。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="97" />
      <source>a whole number</source>
      <translation>整数</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="97" />
      <source>a text</source>
      <translation>文本</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="99" />
      <source>The field '{0}' of layer '{1}' is of type {2}, but ChipVLM writes {3} there. Choose another field name, or rename or delete that field.</source>
      <translation>图层 '{1}' 的字段 '{0}' 类型为 {2},但 ChipVLM 要写入{3}。请换一个字段名,或重命名、删除该字段。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="120" />
      <source>Writing the classes was canceled after {0} of {1} features of '{2}'; those keep their new class. Write again to finish.</source>
      <translation>已在写入图层 '{2}' 的 {1} 个要素中的 {0} 个后取消;已写入的要素保留新类别。再次写入即可完成。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="122" />
      <source>{0} features of '{1}' got their class.</source>
      <translation>图层 '{1}' 中 {0} 个要素已写入类别。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="124" />
      <source>New fields: {0}.</source>
      <translation>新建字段:{0}。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="126" />
      <source>The layer is in edit mode: save its edits to keep them (Ctrl+Z undoes them).</source>
      <translation>图层处于编辑状态:保存编辑后才会生效(Ctrl+Z 可撤销)。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="128" />
      <source>{0} features have no result and were left as they are.</source>
      <translation>{0} 个要素没有结果,保持不变。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="134" />
      <source>{0} results have no feature in the layer (fids {1}{2}): is it the layer the chips were cut from, with the same fid field?</source>
      <translation>{0} 条结果在图层中找不到要素(fid {1}{2}):这是切片所来自的图层吗?fid 字段是否相同?</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="158" />
      <location filename="../../plugin/processing/write_classes.py" line="174" />
      <source>Layer '{0}' has no field '{1}' to match the results' fids.</source>
      <translation>图层 '{0}' 没有用来匹配结果 fid 的字段 '{1}'。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="189" />
      <source>The layer to write classes into is not valid.</source>
      <translation>要写入类别的图层无效。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="195" />
      <source>The field '{0}' of layer '{1}' is a virtual or joined field: ChipVLM cannot write into it. Remove it, or choose another field name.</source>
      <translation>图层 '{1}' 的字段 '{0}' 是虚拟字段或连接字段:ChipVLM 无法写入。请删除它,或换一个字段名。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="202" />
      <source>A shapefile's field names have at most 10 characters: '{0}' would be cut short. Choose a shorter name, or save the layer as a GeoPackage.</source>
      <translation>Shapefile 的字段名最多 10 个字符:'{0}' 会被截断。请换一个更短的名称,或把图层另存为 GeoPackage。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="208" />
      <source>Layer '{0}' is read-only: ChipVLM cannot write classes into it. Save it as a GeoPackage (or run 'Write classes' to a new layer) and try again.</source>
      <translation>图层 '{0}' 是只读的:ChipVLM 无法写入类别。请另存为 GeoPackage(或用“写入类别”输出到新图层)后重试。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="213" />
      <source>Layer '{0}' cannot get new fields ({1}). Add them yourself, or write to a new layer.</source>
      <translation>图层 '{0}' 无法新建字段({1})。请手动添加这些字段,或写入新图层。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="281" />
      <source>Write ChipVLM classes</source>
      <translation>写入 ChipVLM 类别</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="286" />
      <source>The field '{0}' cannot be added to layer '{1}'.</source>
      <translation>无法向图层 '{1}' 添加字段 '{0}'。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="295" />
      <source>Writing the classes was canceled; the layer is unchanged.</source>
      <translation>已取消写入类别,图层未改变。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="300" />
      <source>Feature {0} of layer '{1}' could not be changed.</source>
      <translation>无法修改图层 '{1}' 的要素 {0}。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="315" />
      <source>The fields {0} cannot be added to layer '{1}': {2}</source>
      <translation>无法向图层 '{1}' 添加字段 {0}:{2}</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="332" />
      <source>Layer '{0}' could not save the classes ({1} features saved before): {2}</source>
      <translation>图层 '{0}' 无法保存类别(此前已保存 {1} 个要素):{2}</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="349" />
      <source>The new fields of layer '{0}' could not be found after adding them.</source>
      <translation>图层 '{0}' 添加新字段后找不到这些字段。</translation>
    </message>
    <message>
      <location filename="../../plugin/plugin.py" line="81" />
      <source>Cut chips…</source>
      <translation>切取切片…</translation>
    </message>
    <message>
      <location filename="../../plugin/plugin.py" line="83" />
      <source>Classify chips…</source>
      <translation>识别切片…</translation>
    </message>
    <message>
      <location filename="../../plugin/plugin.py" line="84" />
      <source>Classify the chips of a run with a vision model, in the background</source>
      <translation>在后台用视觉模型识别某次运行的切片</translation>
    </message>
    <message>
      <location filename="../../plugin/plugin.py" line="87" />
      <source>Review results</source>
      <translation>复核结果</translation>
    </message>
    <message>
      <location filename="../../plugin/plugin.py" line="87" />
      <source>Review the classes of a run and write them back to the layer</source>
      <translation>复核某次运行的类别并写回图层</translation>
    </message>
    <message>
      <location filename="../../plugin/plugin.py" line="90" />
      <source>Write classes…</source>
      <translation>写入类别…</translation>
    </message>
    <message>
      <location filename="../../plugin/plugin.py" line="92" />
      <source>Add, edit and test the model servers</source>
      <translation>添加、编辑和测试模型服务器</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="69" />
      <source>Classify chips</source>
      <translation>识别切片</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="72" />
      <location filename="../../plugin/processing/cut_chips.py" line="59" />
      <location filename="../../plugin/processing/merge_results.py" line="45" />
      <location filename="../../plugin/processing/write_classes.py" line="57" />
      <source>Classify objects</source>
      <translation>地物识别</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="78" />
      <source>Sends the chips of a chips index (made by 'Cut feature chips') to a vision-language model, BATCH_SIZE chips per request, and stores one class per fid in results.sqlite (with results.csv beside it).

Endpoints: the base URLs of the model servers, comma-separated (e.g. http://gpu1:11434, http://gpu2:11434); all of them work from one queue, a dead one is paused and its work goes to the others. Empty: the endpoints saved in the ChipVLM settings, with their API keys from QGIS's authentication database. MODEL, when given, replaces the model of every endpoint.

An answer is accepted only when its fids are exactly the batch's and every class is in the scheme; otherwise the batch is split and retried, and a chip that still fails gets class -1 (ERROR). The run resumes: a rerun classifies only the chips without a class (and, with RETRY_ERRORS, the errors). Cancel keeps every finished batch.

The CLASSIFIED, ERRORS and NEEDS_REVIEW outputs count the rows of the whole results file.</source>
      <translation>把切片索引(由 “切取要素切片” 生成)中的切片发送给视觉语言模型,每次请求 BATCH_SIZE 个切片,并在 results.sqlite 中为每个 fid 保存一个类别(旁边另存 results.csv)。

端点:模型服务器的基础 URL,用逗号分隔(例如 http://gpu1:11434, http://gpu2:11434);所有端点从同一个队列中领取任务,失效的端点会被暂停,其任务转给其他端点。留空:使用 ChipVLM 设置中保存的端点,API 密钥取自 QGIS 认证数据库。填写 MODEL 时,它会替换所有端点的模型。

只有当回答中的 fid 与该批次完全一致、且每个类别都在分类方案中时,回答才会被接受;否则把该批次拆分后重试,仍然失败的切片得到类别 -1(ERROR)。运行可以续跑:重新运行时只识别尚无类别的切片(勾选 RETRY_ERRORS 时也包括出错的切片)。取消时已完成的批次全部保留。

输出 CLASSIFIED、ERRORS 和 NEEDS_REVIEW 统计的是整个结果文件的行数。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="96" />
      <location filename="../../plugin/processing/cut_chips.py" line="105" />
      <source>Chips index (chips_index.csv)</source>
      <translation>切片索引 (chips_index.csv)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="98" />
      <source>Chips index (*.csv);;All files (*)</source>
      <translation>切片索引 (*.csv);;所有文件 (*)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="100" />
      <source>Endpoints (comma-separated base URLs; empty = the saved endpoints)</source>
      <translation>端点(用逗号分隔的基础 URL;留空 = 已保存的端点)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="103" />
      <source>Model (empty = each saved endpoint's model, or {0})</source>
      <translation>模型(留空 = 各已保存端点自己的模型,或 {0})</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="107" />
      <source>Class scheme (a shipped one: {0}; or the path of a .json file)</source>
      <translation>分类方案(内置方案:{0};或 .json 文件的路径)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="110" />
      <source>Chips per request</source>
      <translation>每次请求的切片数</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="114" />
      <source>Only the first N chips still to do (0 = all)</source>
      <translation>只处理尚未完成的前 N 个切片(0 = 全部)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="117" />
      <source>Retry chips that ended as errors (-1) in an earlier run</source>
      <translation>重试之前运行中出错(-1)的切片</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="119" />
      <source>API of the endpoints given above (URLs ending in /v1 are OpenAI-compatible)</source>
      <translation>上面所填端点的 API(以 /v1 结尾的 URL 为 OpenAI 兼容)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="120" />
      <source>Ollama (native API)</source>
      <translation>Ollama(原生 API)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="120" />
      <source>OpenAI-compatible (vLLM, llama.cpp, Open WebUI)</source>
      <translation>OpenAI 兼容(vLLM、llama.cpp、Open WebUI)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="123" />
      <source>Requests at once per endpoint given above</source>
      <translation>上面所填每个端点的并发请求数</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="126" />
      <source>Timeout per request, seconds (endpoints given above)</source>
      <translation>每次请求的超时,秒(上面所填端点)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="135" />
      <source>Results file (empty = results.sqlite beside the chips index)</source>
      <translation>结果文件(留空 = 切片索引旁边的 results.sqlite)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="137" />
      <source>Results table (results.csv)</source>
      <translation>结果表 (results.csv)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="138" />
      <source>Chips with a class</source>
      <translation>已有类别的切片数</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="139" />
      <source>Chips that ended as errors</source>
      <translation>出错的切片数</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="140" />
      <source>Chips needing review</source>
      <translation>需复核的切片数</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="165" />
      <source>No model given: asking for {0}.</source>
      <translation>未指定模型:请求使用 {0}。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="172" />
      <source>Using the saved endpoints: {0}.</source>
      <translation>使用已保存的端点:{0}。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="182" />
      <source>Choose the chips index (chips_index.csv) made by 'Cut feature chips'.</source>
      <translation>请选择由 “切取要素切片” 生成的切片索引(chips_index.csv)。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="195" />
      <source>Reading the chips index and checking the endpoints</source>
      <translation>正在读取切片索引并检查端点</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="214" />
      <source>results.sqlite beside the chips index</source>
      <translation>切片索引旁边的 results.sqlite</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="216" />
      <source>Cannot write the results file {0}: {1}</source>
      <translation>无法写入结果文件 {0}:{1}</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="222" />
      <source>Index rows without a chip (not sent): {0}.</source>
      <translation>索引中没有切片的行(未发送):{0}。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="238" />
      <source>The results so far are in {0}.</source>
      <translation>目前已有的结果保存在 {0} 中。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="56" />
      <source>Cut feature chips</source>
      <translation>切取要素切片</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="65" />
      <source>Cuts one CHIP_SIZE x CHIP_SIZE image per feature from the raster, centred on the centre of the feature's bounding box, with the outline drawn in red and the fid written top-left, and writes chips_index.csv beside the chips/ folder.

Runs in parallel and resumes: with OVERWRITE off, a rerun skips the chips already cut. Features outside the raster, without geometry or that cannot be read get a row with a status and a message instead of a chip. Imagery that is not 8-bit is stretched once for the whole raster (2-98 percentiles).</source>
      <translation>从栅格中为每个要素切取一张 CHIP_SIZE x CHIP_SIZE 的图像,以要素外包框的中心为中心,用红色绘制要素轮廓,在左上角写上 fid,并在 chips/ 文件夹旁写出 chips_index.csv。

并行运行,可断点续跑:OVERWRITE 关闭时,重新运行会跳过已切好的切片。位于栅格之外、没有几何或无法读取的要素不生成切片,而是在索引中记一行状态和说明。非 8 位的影像按整幅栅格统一拉伸一次(2-98 百分位)。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="77" />
      <source>Objects (vector layer)</source>
      <translation>对象(矢量图层)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="78" />
      <source>Imagery (raster)</source>
      <translation>影像(栅格)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="80" />
      <location filename="../../plugin/processing/write_classes.py" line="95" />
      <source>Fid field (empty = feature id)</source>
      <translation>fid 字段(留空 = 要素 ID)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="83" />
      <source>Chip size (pixels)</source>
      <translation>切片尺寸(像素)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="85" />
      <source>Image format</source>
      <translation>图像格式</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="87" />
      <source>Bands (e.g. 1,2,3 or 4; empty = first three)</source>
      <translation>波段(如 1,2,3 或 4;留空 = 前三个波段)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="90" />
      <source>Workers (0 = one per CPU core)</source>
      <translation>工作线程数(0 = 每个 CPU 核一个)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="93" />
      <source>Chips in flight at most (0 = 8 per worker)</source>
      <translation>同时处理的切片上限(0 = 每个工作线程 8 个)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="100" />
      <source>Only the first N features (0 = all)</source>
      <translation>只处理前 N 个要素(0 = 全部)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="103" />
      <source>Overwrite (off = resume, skipping chips already cut)</source>
      <translation>覆盖(关闭 = 断点续跑,跳过已切好的切片)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="104" />
      <source>Run folder</source>
      <translation>运行文件夹</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="106" />
      <source>Number of chips</source>
      <translation>切片数量</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="114" />
      <source>The raster could not be loaded: check that the file exists and GDAL can read it.</source>
      <translation>无法加载栅格:请检查文件是否存在、GDAL 能否读取。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="118" />
      <source>The raster '{}' is not a file read by GDAL (it comes from the '{}' provider): save it as a GeoTIFF first.</source>
      <translation>栅格 '{}' 不是 GDAL 读取的文件(它来自 '{}' 数据提供者):请先另存为 GeoTIFF。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="134" />
      <source>The layer or the raster has no coordinate reference system: their coordinates are taken to be the same.</source>
      <translation>图层或栅格没有坐标参考系:按两者坐标相同处理。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="139" />
      <source>Reprojecting the features from {} to the raster's {}.</source>
      <translation>正在把要素从 {} 重投影到栅格的 {}。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="142" />
      <source>The layer has no field named '{}'.</source>
      <translation>图层中没有名为 '{}' 的字段。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="158" />
      <source>{} chips cut, {} already there, {} outside the raster, {} without geometry, {} failed, in {:.1f} s.</source>
      <translation>已切取 {} 个切片,{} 个已存在,{} 个在栅格之外,{} 个没有几何,{} 个失败,用时 {:.1f} 秒。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="162" />
      <source>Canceled: the index holds every chip finished so far; run again to resume.</source>
      <translation>已取消:索引中保留了目前已完成的所有切片;重新运行即可继续。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/merge_results.py" line="42" />
      <source>Merge results</source>
      <translation>合并结果</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/merge_results.py" line="51" />
      <source>Merges results files (results.sqlite or results.csv) made by other runs or on other machines into one file, by fid. An analyst's reviewed class beats a model's class, a real class beats 0 (cannot tell), which beats -1 (ERROR). Where two inputs give different classes at the same level, the most recent one is kept, flagged for review, and the conflict is listed in the log. Only results made with the same class scheme can be merged.

The output is a results.sqlite (with a .csv of the same name beside it) or a .csv.</source>
      <translation>按 fid 把其他运行或其他机器产生的结果文件(results.sqlite 或 results.csv)合并为一个文件。分析人员复核的类别优先于模型的类别,实际类别优先于 0(无法判断),0 又优先于 -1(ERROR)。若两个输入在同一级别给出不同的类别,则保留最新的那个并标记为待复核,冲突会列在日志中。只有使用同一分类方案得到的结果才能合并。

输出为 results.sqlite(旁边另有同名的 .csv)或 .csv 文件。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/merge_results.py" line="62" />
      <source>Results files (.sqlite or .csv)</source>
      <translation>结果文件(.sqlite 或 .csv)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/merge_results.py" line="64" />
      <source>Merged results</source>
      <translation>合并后的结果</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/merge_results.py" line="64" />
      <source>Results (*.sqlite);;CSV (*.csv)</source>
      <translation>结果文件 (*.sqlite);;CSV (*.csv)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/merge_results.py" line="65" />
      <source>Merged results table (.csv)</source>
      <translation>合并后的结果表(.csv)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/merge_results.py" line="66" />
      <source>Fids in the merged results</source>
      <translation>合并结果中的 fid 数</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/merge_results.py" line="67" />
      <source>Conflicts (flagged for review)</source>
      <translation>冲突数(已标记为待复核)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/merge_results.py" line="73" />
      <source>Choose the results files to merge.</source>
      <translation>请选择要合并的结果文件。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/merge_results.py" line="76" />
      <source>The merged results must be a .sqlite or a .csv file, not {0}.</source>
      <translation>合并结果必须是 .sqlite 或 .csv 文件,而不是 {0}。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/merge_results.py" line="77" />
      <source>Merging {0} results files</source>
      <translation>正在合并 {0} 个结果文件</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/merge_results.py" line="84" />
      <source>Cannot write the merged results to {0}: {1}</source>
      <translation>无法把合并结果写入 {0}:{1}</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/merge_results.py" line="87" />
      <source>{0}: {1} rows</source>
      <translation>{0}:{1} 行</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/merge_results.py" line="89" />
      <source>Conflict: {0}</source>
      <translation>冲突:{0}</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/merge_results.py" line="91" />
      <source>... and {0} more conflicts, all flagged for review.</source>
      <translation>……另有 {0} 处冲突,均已标记为待复核。</translation>
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
