<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
  <context>
    <name>ChipVLM</name>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="84" />
      <source>reviewed</source>
      <translation>已复核</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="85" />
      <source>to review</source>
      <translation>待复核</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="86" />
      <source>error</source>
      <translation>错误</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="87" />
      <source>model</source>
      <translation>模型</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="136" />
      <source>no chip image</source>
      <translation>无切片图像</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="239" />
      <source>fid {0}: model says {1} {2}</source>
      <translation>fid {0}:模型判为 {1} {2}</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="243" />
      <source>reviewed: {0} {1} ({2}, {3})</source>
      <translation>复核为:{0} {1}({2},{3})</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="341" />
      <source>No chip selected</source>
      <translation>未选中切片</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="364" />
      <source>ChipVLM review</source>
      <translation>ChipVLM 复核</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="392" />
      <source>Run</source>
      <translation>运行</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="395" />
      <source>results.sqlite of a run, or its folder</source>
      <translation>某次运行的 results.sqlite 或其文件夹</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="398" />
      <source>Open…</source>
      <translation>打开…</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="399" />
      <source>Open the results.sqlite of a run</source>
      <translation>打开某次运行的 results.sqlite</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="404" />
      <source>Layer</source>
      <translation>图层</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="409" />
      <source>The layer the chips were cut from</source>
      <translation>切片所来自的图层</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="411" />
      <source>Fid field</source>
      <translation>fid 字段</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="414" />
      <source>The field the chips were named by (empty = feature id)</source>
      <translation>切片命名所用的字段(留空 = 要素 ID)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="420" />
      <source>Needs review</source>
      <translation>需复核</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="420" />
      <source>All results</source>
      <translation>全部结果</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="421" />
      <source>Errors</source>
      <translation>错误</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="425" />
      <location filename="../../plugin/gui/review_dock.py" line="608" />
      <source>Any class</source>
      <translation>任意类别</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="428" />
      <source>Reviewed or not</source>
      <translation>已复核或未复核</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="428" />
      <source>Not reviewed</source>
      <translation>未复核</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="428" />
      <source>Reviewed</source>
      <translation>已复核</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="432" />
      <source>By fid</source>
      <translation>按 fid 排序</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="433" />
      <source>By class</source>
      <translation>按类别排序</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="439" />
      <source>fids, e.g. 12, 40-45</source>
      <translation>fid,例如 12, 40-45</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="442" />
      <source>Filter to map selection</source>
      <translation>只看地图上选中的要素</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="444" />
      <source>List only the chips of the features selected on the map</source>
      <translation>只列出地图上选中要素的切片</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="470" />
      <source>Confirm (Space)</source>
      <translation>确认(空格)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="471" />
      <source>Accept the model's class (Space or Enter)</source>
      <translation>接受模型给出的类别(空格或回车)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="473" />
      <source>Next to review (N)</source>
      <translation>下一个待复核(N)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="474" />
      <source>Jump to the next chip not reviewed yet (N or Tab)</source>
      <translation>跳到下一个尚未复核的切片(N 或 Tab)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="478" />
      <source>Undo (Ctrl+Z)</source>
      <translation>撤销(Ctrl+Z)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="480" />
      <location filename="../../plugin/processing/write_classes.py" line="54" />
      <source>Write classes to layer</source>
      <translation>写入图层</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="482" />
      <source>Write the final classes (reviewed, else the model's) into the linked layer</source>
      <translation>把最终类别(有复核用复核,否则用模型结果)写入关联的图层</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="507" />
      <source>Keys: 0–9 set the class · Space/Enter confirm · arrows move · N next to review · Ctrl+Z undo · Delete forget</source>
      <translation>按键:0–9 设定类别 · 空格/回车 确认 · 方向键 移动 · N 下一个待复核 · Ctrl+Z 撤销 · Delete 取消复核</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="543" />
      <source>Open the results of a run</source>
      <translation>打开某次运行的结果</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="543" />
      <source>Results (results.sqlite *.sqlite)</source>
      <translation>结果文件 (results.sqlite *.sqlite)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="568" />
      <source>Opened {0}: {1} results.</source>
      <translation>已打开 {0}:共 {1} 条结果。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="618" />
      <source>Set class {0} {1}</source>
      <translation>设为类别 {0} {1}</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="676" />
      <location filename="../../plugin/gui/review_dock.py" line="1000" />
      <source>Choose the layer the chips were cut from first.</source>
      <translation>请先选择切片所来自的图层。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="689" />
      <source>No feature is selected on the map: the list is empty.</source>
      <translation>地图上没有选中的要素:列表为空。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="842" />
      <source>Model: {0} {1}</source>
      <translation>模型:{0} {1}</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="848" />
      <source>Reviewed: &lt;b&gt;{0} {1}&lt;/b&gt; by {2}, {3}</source>
      <translation>复核:&lt;b&gt;{0} {1}&lt;/b&gt;,{2},{3}</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="860" />
      <location filename="../../plugin/gui/review_dock.py" line="996" />
      <source>Open the results of a run first.</source>
      <translation>请先打开某次运行的结果。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="884" />
      <source>Set to {0} {1}.</source>
      <translation>已设为 {0} {1}。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="899" />
      <source>The model gave no class for {0} (error): press a number key to choose one.</source>
      <translation>模型没有给出 {0} 的类别(错误):请按数字键选择类别。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="905" />
      <source>Confirmed the model's class.</source>
      <translation>已确认模型给出的类别。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="911" />
      <source>Decision forgotten: back to the model's class.</source>
      <translation>已取消复核:恢复为模型给出的类别。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="919" />
      <source>Nothing to undo.</source>
      <translation>没有可撤销的操作。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="924" />
      <source>Undone: {0} chip(s).</source>
      <translation>已撤销:{0} 个切片。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="947" />
      <source>Every chip in this list is reviewed.</source>
      <translation>列表中的切片都已复核。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="1014" />
      <source>No run open</source>
      <translation>未打开运行结果</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="1017" />
      <source>Reviewed {0} of {1} needing review</source>
      <translation>已复核 {0} / 共 {1} 个需复核</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock.py" line="1018" />
      <source>{0} chips listed</source>
      <translation>列出 {0} 个切片</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="61" />
      <source>The class field, the class name field and the review field need three different names (got '{0}', '{1}', '{2}').</source>
      <translation>类别字段、类别名称字段和复核字段必须是三个不同的名称(现为 '{0}'、'{1}'、'{2}')。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="75" />
      <source>a whole number</source>
      <translation>整数</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="75" />
      <source>a text</source>
      <translation>文本</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="77" />
      <source>The field '{0}' of layer '{1}' is of type {2}, but ChipVLM writes {3} there. Choose another field name, or rename or delete that field.</source>
      <translation>图层 '{1}' 的字段 '{0}' 类型为 {2},但 ChipVLM 要写入{3}。请换一个字段名,或重命名、删除该字段。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="95" />
      <source>{0} features of '{1}' got their class.</source>
      <translation>图层 '{1}' 中 {0} 个要素已写入类别。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="97" />
      <source>New fields: {0}.</source>
      <translation>新建字段:{0}。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="99" />
      <source>The layer is in edit mode: save its edits to keep them (Ctrl+Z undoes them).</source>
      <translation>图层处于编辑状态:保存编辑后才会生效(Ctrl+Z 可撤销)。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="101" />
      <source>{0} features have no result and were left as they are.</source>
      <translation>{0} 个要素没有结果,保持不变。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="107" />
      <source>{0} results have no feature in the layer (fids {1}{2}): is it the layer the chips were cut from, with the same fid field?</source>
      <translation>{0} 条结果在图层中找不到要素(fid {1}{2}):这是切片所来自的图层吗?fid 字段是否相同?</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="129" />
      <location filename="../../plugin/processing/write_classes.py" line="170" />
      <source>Layer '{0}' has no field '{1}' to match the results' fids.</source>
      <translation>图层 '{0}' 没有用来匹配结果 fid 的字段 '{1}'。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="155" />
      <source>The layer to write classes into is not valid.</source>
      <translation>要写入类别的图层无效。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="159" />
      <source>Layer '{0}' is read-only: ChipVLM cannot write classes into it. Save it as a GeoPackage (or run 'Write classes' to a new layer) and try again.</source>
      <translation>图层 '{0}' 是只读的:ChipVLM 无法写入类别。请另存为 GeoPackage(或用“写入类别”输出到新图层)后重试。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="164" />
      <source>Layer '{0}' cannot get new fields ({1}). Add them yourself, or write to a new layer.</source>
      <translation>图层 '{0}' 无法新建字段({1})。请手动添加这些字段,或写入新图层。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="194" />
      <source>Layer '{0}' cannot be edited.</source>
      <translation>图层 '{0}' 无法编辑。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="195" />
      <source>Write ChipVLM classes</source>
      <translation>写入 ChipVLM 类别</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="200" />
      <source>The field '{0}' cannot be added to layer '{1}'.</source>
      <translation>无法向图层 '{1}' 添加字段 '{0}'。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="206" />
      <source>The new fields of layer '{0}' could not be found after adding them.</source>
      <translation>图层 '{0}' 添加新字段后找不到这些字段。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="215" />
      <source>Writing the classes was canceled; the layer is unchanged.</source>
      <translation>已取消写入类别,图层未改变。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="220" />
      <source>Feature {0} of layer '{1}' could not be changed.</source>
      <translation>无法修改图层 '{1}' 的要素 {0}。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/write_back.py" line="234" />
      <source>Layer '{0}' could not save the classes: {1}</source>
      <translation>图层 '{0}' 无法保存类别:{1}</translation>
    </message>
    <message>
      <location filename="../../plugin/plugin.py" line="55" />
      <source>Review results</source>
      <translation>复核结果</translation>
    </message>
    <message>
      <location filename="../../plugin/plugin.py" line="57" />
      <source>Review the classes of a run and write them back to the layer</source>
      <translation>复核某次运行的类别并写回图层</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/write_classes.py" line="63" />
      <source>Writes the final class of every result of a run into the vector layer the chips were cut from: the reviewed class where an analyst decided, else the model's class. Three fields get it: the class id (whole number), the class name (text) and 'review' (reviewed, to_review, error or model); they are created when missing. In place, the layer is edited as one undoable edit command (a layer already in edit mode keeps the change in its edit buffer); otherwise a copy of the layer with these fields is written to the output. Results are matched by the fid field the chips were cut with (empty = feature id).</source>
      <translation>把一次运行中每条结果的最终类别写入切片所来自的矢量图层:有人工复核的用复核类别,否则用模型类别。写入三个字段:类别 ID(整数)、类别名称(文本)和 'review'(reviewed 已复核、to_review 待复核、error 错误、model 模型);缺少时自动创建。原地写入时,整个修改是一条可撤销的编辑命令(图层已在编辑状态时修改留在编辑缓冲区);否则输出一个带这些字段的图层副本。结果按切片时所用的 fid 字段匹配(留空 = 要素 ID)。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/write_classes.py" line="80" />
      <source>Vector layer</source>
      <translation>矢量图层</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/write_classes.py" line="86" />
      <source>Results (results.sqlite)</source>
      <translation>结果文件 (results.sqlite)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/write_classes.py" line="88" />
      <source>Results (*.sqlite);;All files (*)</source>
      <translation>结果文件 (*.sqlite);;所有文件 (*)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/write_classes.py" line="94" />
      <source>Fid field (empty = feature id)</source>
      <translation>fid 字段(留空 = 要素 ID)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/write_classes.py" line="100" />
      <source>Class id field</source>
      <translation>类别 ID 字段</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/write_classes.py" line="103" />
      <source>Class name field</source>
      <translation>类别名称字段</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/write_classes.py" line="107" />
      <source>Write into the input layer itself</source>
      <translation>直接写入输入图层</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/write_classes.py" line="113" />
      <source>Layer with classes (not used when writing in place)</source>
      <translation>带类别的图层(原地写入时不使用)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/write_classes.py" line="119" />
      <source>Features that got a class</source>
      <translation>已写入类别的要素数</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/write_classes.py" line="121" />
      <source>Results without a feature in the layer</source>
      <translation>图层中找不到要素的结果数</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/write_classes.py" line="127" />
      <source>The input layer cannot be read.</source>
      <translation>无法读取输入图层。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/write_classes.py" line="134" />
      <source>Reading the final classes of {0}</source>
      <translation>正在读取 {0} 的最终类别</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/write_classes.py" line="139" />
      <source>{0} results read.</source>
      <translation>已读取 {0} 条结果。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/write_classes.py" line="163" />
      <source>Choose an output layer, or write into the input layer itself (IN_PLACE).</source>
      <translation>请选择输出图层,或直接写入输入图层(IN_PLACE)。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/write_classes.py" line="193" />
      <source>Feature {0} could not be written: {1}</source>
      <translation>无法写入要素 {0}:{1}</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/write_classes.py" line="198" />
      <source>{0} features got a class.</source>
      <translation>{0} 个要素已写入类别。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/write_classes.py" line="201" />
      <source>{0} results have no feature in layer '{1}': is it the layer the chips were cut from, with the same fid field?</source>
      <translation>{0} 条结果在图层 '{1}' 中找不到要素:这是切片所来自的图层吗?fid 字段是否相同?</translation>
    </message>
  </context>
</TS>
