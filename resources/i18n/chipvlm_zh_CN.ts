<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
  <context>
    <name>ChipVLM</name>
    <message>
      <location filename="../../plugin/core/assess/audit.py" line="159" />
      <source>{0} already has an audit sample with {1} reference decisions: drawing again would replace them. Set REPLACE (replace the existing sample) to draw anyway.</source>
      <translation>{0} 已有一个含 {1} 个参考判定的核查样本:重新抽样会替换它们。如仍要抽样,请勾选 REPLACE(替换已有样本)。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/audit.py" line="301" />
      <source>Fid {0} is not in the audit sample of {1}.</source>
      <translation>Fid {0} 不在 {1} 的核查样本中。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/audit.py" line="312" />
      <source>Class {0} is not a reference class of this run's scheme ({1}).</source>
      <translation>类别 {0} 不是本次运行分类方案中的参考类别({1})。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/charts.py" line="72" />
      <source>Estimated area proportion</source>
      <translation>估计面积比例</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/charts.py" line="84" />
      <source>Reference class</source>
      <translation>参考类别</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/charts.py" line="85" />
      <source>Map class</source>
      <translation>地图类别</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/charts.py" line="86" />
      <source>Error matrix (colour: area proportion, numbers: sample units)</source>
      <translation>误差矩阵(颜色:面积比例,数字:样本单元数)</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/charts.py" line="108" />
      <source>Mapped area</source>
      <translation>制图面积</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/charts.py" line="110" />
      <source>Error-adjusted area</source>
      <translation>误差校正面积</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/charts.py" line="119" />
      <source>Area (ha)</source>
      <translation>面积(公顷)</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/charts.py" line="120" />
      <source>Mapped and error-adjusted area ({0} confidence interval)</source>
      <translation>制图面积与误差校正面积({0} 置信区间)</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/charts.py" line="122" />
      <source>Intervals are cut at zero: an area is never negative.</source>
      <translation>区间在零处截断:面积不会为负。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/charts.py" line="124" />
      <source>* hatched: interval unreliable (see the table)</source>
      <translation>* 斜线填充:区间不可靠(见表格)</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/charts.py" line="137" />
      <source>Perfect calibration</source>
      <translation>完全校准</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/charts.py" line="139" />
      <source>Share correct in the audit</source>
      <translation>核查中的正确比例</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/charts.py" line="144" />
      <source>Model confidence</source>
      <translation>模型置信度</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/charts.py" line="145" />
      <source>Share of audited chips the model got right</source>
      <translation>模型判对的核查图片比例</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/estimators.py" line="46" />
      <source>The confidence level must be between 0 and 1 (e.g. 0.95), not {0}.</source>
      <translation>置信水平必须在 0 与 1 之间(例如 0.95),而不是 {0}。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/estimators.py" line="105" />
      <source>Class {0} is not among the classes of the assessment.</source>
      <translation>类别 {0} 不在本次评估的类别中。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/estimators.py" line="133" />
      <source>The error matrix must have one row and one column per class ({0}).</source>
      <translation>误差矩阵必须每个类别一行一列({0} 个类别)。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/estimators.py" line="138" />
      <source>The mapped area of class {0} is not a positive number: {1}.</source>
      <translation>类别 {0} 的制图面积不是正数:{1}。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/estimators.py" line="142" />
      <location filename="../../plugin/core/assess/estimators.py" line="256" />
      <source>The reference sample is empty: no sample unit has a reference class.</source>
      <translation>参考样本为空:没有任何样本单元有参考类别。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/estimators.py" line="146" />
      <source>No sampled class has a mapped area: the map and the reference do not overlap.</source>
      <translation>没有任何被抽样的类别有制图面积:地图与参考数据不重叠。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/reference.py" line="53" />
      <source>{0} has no audit sample: draw one (Draw audit sample) and decide its chips first.</source>
      <translation>{0} 没有核查样本:请先抽取(抽取核查样本)并判定其中的图片。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/reference.py" line="72" />
      <location filename="../../plugin/core/assess/reference.py" line="70" />
      <source>Line {0} of {1}: the {2} '{3}' is not a whole number.</source>
      <translation>{1} 第 {0} 行:{2} “{3}” 不是整数。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/reference.py" line="80" />
      <source>The reference file {0} does not exist.</source>
      <translation>参考文件 {0} 不存在。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/reference.py" line="90" />
      <source>The reference file {0} needs the columns fid and class_id (it has: {1}).</source>
      <translation>参考文件 {0} 需要 fid 和 class_id 两列(现有列:{1})。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/reference.py" line="101" />
      <source>Line {0} of {1}: fid {2} is there twice.</source>
      <translation>{1} 第 {0} 行:fid {2} 出现了两次。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/reference.py" line="103" />
      <source>Line {0} of {1}: -1 (ERROR) is not a reference class.</source>
      <translation>{1} 第 {0} 行:-1(ERROR)不是参考类别。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/reference.py" line="109" />
      <source>The reference file {0} has no reference class.</source>
      <translation>参考文件 {0} 中没有参考类别。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="177" />
      <location filename="../../plugin/core/assess/report.py" line="179" />
      <location filename="../../plugin/processing/accuracy_report.py" line="68" />
      <source>Accuracy report</source>
      <translation>精度报告</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="180" />
      <source>Overall accuracy {0} ({1} confidence interval)</source>
      <translation>总体精度 {0}({1} 置信区间)</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="205" />
      <source>Map: layer '{0}', classes from field '{1}'; created {2}.</source>
      <translation>地图:图层“{0}”,类别取自字段“{1}”;生成于 {2}。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="207" />
      <source>Reference: {0} ({1} sample units with a reference class).</source>
      <translation>参考:{0}({1} 个有参考类别的样本单元)。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="209" />
      <source>Design assumed: stratified random sampling with the map classes as strata; every object in a stratum counts equally (Olofsson et al. 2014, Remote Sensing of Environment 148: 42-57). Kappa is not reported.</source>
      <translation>假定的抽样设计:以地图类别为层的分层随机抽样;同一层内每个对象权重相同(Olofsson 等 2014,Remote Sensing of Environment 148: 42-57)。不报告 Kappa。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="212" />
      <source>Strata weighted by mapped area (ellipsoidal, hectares).</source>
      <translation>各层按制图面积加权(椭球面积,公顷)。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="213" />
      <source>Strata weighted by the number of objects; the adjusted areas assume objects of one size.</source>
      <translation>各层按对象数量加权;校正面积假定所有对象大小相同。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="214" />
      <source>Confidence intervals: estimate ± {0} × standard error.</source>
      <translation>置信区间:估计值 ± {0} × 标准误差。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="218" />
      <source>Audit sample drawn {0} by {1}: seed {2}, {3} units from {4} results.</source>
      <translation>核查样本由 {1} 于 {0} 抽取:种子 {2},从 {4} 个结果中抽取 {3} 个单元。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="221" />
      <source>{0} sampled chips have no reference decision yet: the estimates use the others, which biases them if the undecided ones differ.</source>
      <translation>{0} 张抽样图片尚无参考判定:估计只用了其余的,若未判定的与之不同,估计会有偏差。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="223" />
      <source>{0} sample units were marked 'cannot tell' and are left out.</source>
      <translation>{0} 个样本单元被标为“无法判断”,未计入。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="224" />
      <source>{0} reference fids have no feature with a class in the layer and are left out.</source>
      <translation>{0} 个参考 fid 在图层中没有带类别的要素,未计入。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="225" />
      <source>{0} audit units have another class in the layer than the stratum they were drawn from (reviews since the draw?): the layer's class is used.</source>
      <translation>{0} 个核查单元在图层中的类别与其抽样所在层不同(抽样后又复核过?):使用图层中的类别。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="230" />
      <source>Mapped classes without any sample unit, left out of the estimates: {0}.</source>
      <translation>没有任何样本单元的制图类别,未计入估计:{0}。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="238" />
      <location filename="../../plugin/core/assess/report.py" line="359" />
      <source>Class</source>
      <translation>类别</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="238" />
      <source>Mapped area (ha)</source>
      <translation>制图面积(公顷)</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="238" />
      <location filename="../../plugin/core/learn/report.py" line="82" />
      <source>Objects</source>
      <translation>对象数</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="238" />
      <source>Sample units</source>
      <translation>样本单元数</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="239" />
      <source>User's accuracy</source>
      <translation>用户精度</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="239" />
      <source>Producer's accuracy</source>
      <translation>生产者精度</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="239" />
      <source>Error-adjusted area (ha)</source>
      <translation>误差校正面积(公顷)</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="248" />
      <location filename="../../plugin/core/assess/report.py" line="361" />
      <source>Overall</source>
      <translation>总体</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="250" />
      <source>Accuracy and area per class</source>
      <translation>各类别的精度与面积</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="251" />
      <source>An interval that runs past 0 (or 1 for an accuracy) is shown cut to them in brackets.</source>
      <translation>超出 0(精度则超出 1)的区间,在方括号中给出截断后的范围。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="255" />
      <source>every sample unit right</source>
      <translation>样本单元全部正确</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="256" />
      <source>every sample unit wrong</source>
      <translation>样本单元全部错误</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="257" />
      <source>under 10 sample units</source>
      <translation>样本单元少于 10 个</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="271" />
      <source>{0}: {1} of {2} units right ({3}).</source>
      <translation>{0}:{2} 个单元中 {1} 个正确({3})。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="275" />
      <source>About {0} units would give its user's accuracy to ± {1}.</source>
      <translation>约 {0} 个单元可使其用户精度达到 ± {1}。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="278" />
      <source>Intervals that mean nothing</source>
      <translation>没有意义的区间</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="279" />
      <source>{0} The estimates are those of the paper; their intervals are not: with a stratum all right, all wrong or under 10 units the variance estimate is zero or unstable, so '± 0.000' or an interval past 0 tells nothing. The overall interval sums these strata and is marked too.</source>
      <translation>{0} 估计值沿用论文的方法,但其区间不可信:某层样本全部正确、全部错误或少于 10 个单元时,方差估计为零或不稳定,因此“± 0.000”或超出 0 的区间说明不了什么。总体区间包含这些层,因此同样被标记。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="285" />
      <source>Recommended: draw the audit sample again (Draw audit sample, REPLACE) with SIZE '{0}', and decide the new units.</source>
      <translation>建议:重新抽取核查样本(抽取核查样本,REPLACE),SIZE 设为 '{0}',并判定新的单元。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="294" />
      <source>Error matrix in sample counts</source>
      <translation>误差矩阵(样本数)</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="295" />
      <source>Rows: map class; columns: reference class.</source>
      <translation>行:地图类别;列:参考类别。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="296" />
      <location filename="../../plugin/core/assess/report.py" line="299" />
      <location filename="../../plugin/core/assess/report.py" line="301" />
      <source>Total</source>
      <translation>合计</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="298" />
      <source>Error matrix in estimated area proportions</source>
      <translation>误差矩阵(估计面积比例)</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="307" />
      <source>matplotlib is not installed with this QGIS: the report has its tables but no charts.</source>
      <translation>此 QGIS 未安装 matplotlib:报告只有表格,没有图表。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="308" />
      <source>Error matrix</source>
      <translation>误差矩阵</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="310" />
      <location filename="../../plugin/core/assess/report.py" line="309" />
      <source>Mapped and error-adjusted area</source>
      <translation>制图面积与误差校正面积</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="314" />
      <source>Model confidence against the audit</source>
      <translation>模型置信度与核查结果对照</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="316" />
      <source>No audited chip has a model confidence (the server gave none, or the reference is a CSV).</source>
      <translation>没有核查图片带有模型置信度(服务器未提供,或参考数据是 CSV)。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="319" />
      <source>Share of audited chips whose model class was right, per band of the model's confidence (the number is the chips in the band). Results under REVIEW_BELOW go to review: this shows what a threshold would catch.</source>
      <translation>按模型置信度分段,模型类别正确的核查图片比例(数字为该段的图片数)。置信度低于 REVIEW_BELOW 的结果会进入复核:此图显示某个阈值能拦下哪些错误。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="322" />
      <source>Calibration</source>
      <translation>校准</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="323" />
      <location filename="../../plugin/gui/endpoints_dialog.py" line="206" />
      <source>Confidence</source>
      <translation>置信度</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="323" />
      <source>Audited chips</source>
      <translation>核查图片数</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="323" />
      <source>Share correct</source>
      <translation>正确比例</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="335" />
      <source>How often the analyst changed the model</source>
      <translation>分析员修改模型结果的频率</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="337" />
      <source>No result of this run has been reviewed yet.</source>
      <translation>本次运行尚无任何结果经过复核。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="340" />
      <source>From every review decision of the results file (the audit's reference decisions are apart).</source>
      <translation>来自结果文件中的全部复核判定(核查的参考判定另行保存,不在其中)。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="341" />
      <source>Model class</source>
      <translation>模型类别</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="341" />
      <location filename="../../plugin/core/assess/report.py" line="343" />
      <location filename="../../plugin/gui/review_dock/filters.py" line="58" />
      <source>Reviewed</source>
      <translation>已复核</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="341" />
      <location filename="../../plugin/core/assess/report.py" line="343" />
      <source>Changed</source>
      <translation>已修改</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="341" />
      <location filename="../../plugin/core/assess/report.py" line="343" />
      <source>Share changed</source>
      <translation>修改比例</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="343" />
      <source>Endpoint</source>
      <translation>端点</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="343" />
      <location filename="../../plugin/core/learn/report.py" line="61" />
      <location filename="../../plugin/gui/endpoints_dialog.py" line="202" />
      <location filename="../../plugin/gui/endpoints_dialog.py" line="127" />
      <source>Model</source>
      <translation>模型</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="353" />
      <source>Two runs on the same audit sample</source>
      <translation>同一核查样本上的两次运行</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="354" />
      <source>The second run ({0}) is assessed on the same reference units, over the strata the sample was drawn from (Stehman 2014 estimators, as its classes are not the strata).</source>
      <translation>第二次运行({0})在相同的参考单元上、按样本抽取时的分层进行评估(其类别不是分层,故用 Stehman 2014 估计量)。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="357" />
      <source>{0} reference units have no result in the second run and are left out of its column.</source>
      <translation>{0} 个参考单元在第二次运行中没有结果,未计入该列。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="359" />
      <source>User's accuracy, this map</source>
      <translation>用户精度(本地图)</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="359" />
      <source>User's accuracy, second run</source>
      <translation>用户精度(第二次运行)</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="360" />
      <source>Producer's accuracy, this map</source>
      <translation>生产者精度(本地图)</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/report.py" line="360" />
      <source>Producer's accuracy, second run</source>
      <translation>生产者精度(第二次运行)</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/sampling.py" line="66" />
      <source>The sample size '{0}' is neither a number nor a list of class=size (e.g. 1=75, 2=100).</source>
      <translation>样本量“{0}”既不是数字,也不是“类别=数量”列表(例如 1=75, 2=100)。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/sampling.py" line="85" />
      <source>The target standard error must be between 0 and 1 (e.g. 0.01), not {0}.</source>
      <translation>目标标准误差必须在 0 与 1 之间(例如 0.01),而不是 {0}。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/sampling.py" line="149" />
      <source>The minimum per class cannot be negative ({0}).</source>
      <translation>每类最少样本数不能为负({0})。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/sampling.py" line="152" />
      <source>There is nothing to sample: the results have no classified object.</source>
      <translation>没有可抽样的内容:结果中没有已分类的对象。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/assess/sampling.py" line="158" />
      <source>Class {0} of the sample size has no result to sample (classes: {1}).</source>
      <translation>样本量中的类别 {0} 没有可抽样的结果(现有类别:{1})。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/chips/cutter.py" line="27" />
      <source>The raster file '{0}' does not exist.</source>
      <translation>栅格文件“{0}”不存在。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/chips/cutter.py" line="31" />
      <source>GDAL cannot read the raster '{0}': {1}</source>
      <translation>GDAL 无法读取栅格“{0}”：{1}</translation>
    </message>
    <message>
      <location filename="../../plugin/core/chips/engine.py" line="195" />
      <source>{0} chips cut in {1:.1f} s</source>
      <translation>已切取 {0} 个切片,用时 {1:.1f} 秒</translation>
    </message>
    <message>
      <location filename="../../plugin/core/chips/engine.py" line="202" />
      <source>Unknown chip format '{0}': use PNG or JPEG.</source>
      <translation>未知的切片格式“{0}”：请使用 PNG 或 JPEG。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/chips/engine.py" line="204" />
      <source>The chip size must be at least 16 pixels; got {0}.</source>
      <translation>切片尺寸至少为 16 像素；当前为 {0}。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/chips/engine.py" line="207" />
      <source>Unknown framing '{0}': use native, auto or fit.</source>
      <translation>未知的取景方式“{0}”：请使用 native、auto 或 fit。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/chips/engine.py" line="209" />
      <source>CONTEXT and its minimum cannot be negative and MAX_ZOOM must be at least 1; got {0}, {1} m and {2}.</source>
      <translation>CONTEXT 及其最小值不能为负，MAX_ZOOM 至少为 1；当前为 {0}、{1} 米和 {2}。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/chips/engine.py" line="263" />
      <source>Reading features: {0}</source>
      <translation>正在读取要素:{0}</translation>
    </message>
    <message>
      <location filename="../../plugin/core/chips/engine.py" line="380" />
      <source>{0}/{1} chips, {2:.1f} chips/s</source>
      <translation>{0}/{1} 个切片,每秒 {2:.1f} 个</translation>
    </message>
    <message>
      <location filename="../../plugin/core/chips/folder_writes.py" line="28" />
      <location filename="../../plugin/core/chips/run_folder.py" line="149" />
      <source>Cannot write chips to the folder '{0}': {1}.</source>
      <translation>无法将切片写入文件夹“{0}”：{1}。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/chips/folder_writes.py" line="79" />
      <source>The disk holding '{0}' is full ({1} free): cutting stopped after {2} chips. Free some space, then run again with OVERWRITE off to resume where it stopped.</source>
      <translation>“{0}”所在磁盘已满（剩余 {1}）：已切出 {2} 张切片后停止。请释放空间，然后在 OVERWRITE 关闭的情况下再次运行，从中断处继续。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/chips/index.py" line="178" />
      <location filename="../../plugin/core/chips/index.py" line="254" />
      <source>The chips index {0} is not UTF-8 text: {1}</source>
      <translation>切片索引 {0} 不是 UTF-8 文本:{1}</translation>
    </message>
    <message>
      <location filename="../../plugin/core/chips/index.py" line="180" />
      <location filename="../../plugin/core/chips/index.py" line="256" />
      <source>The chips index {0} is not a readable CSV: {1}</source>
      <translation>切片索引 {0} 不是可读取的 CSV:{1}</translation>
    </message>
    <message>
      <location filename="../../plugin/core/chips/index.py" line="189" />
      <source>The chips index {0} lacks the column(s) {1}; it has {2}.</source>
      <translation>切片索引 {0} 缺少列 {1};它只有 {2}。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/chips/index.py" line="191" />
      <source>no header</source>
      <translation>无表头</translation>
    </message>
    <message>
      <location filename="../../plugin/core/chips/index.py" line="205" />
      <source>{0} line {1}: the row is cut short (a run stopped while writing it); row skipped.</source>
      <translation>{0} 第 {1} 行:该行不完整(写入时运行被中断),已跳过。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/chips/index.py" line="214" />
      <source>{0} line {1}: {2} Row skipped.</source>
      <translation>{0} 第 {1} 行:{2} 已跳过该行。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/chips/index.py" line="487" />
      <source>The chips index {0} does not exist; run 'Cut chips' first.</source>
      <translation>切片索引 {0} 不存在;请先运行“切取切片”。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/chips/placement.py" line="164" />
      <source>fid {0} (feature {1}) has no geometry.</source>
      <translation>fid {0}(要素 {1})没有几何。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/chips/placement.py" line="165" />
      <source>fid {0} (feature {1}) lies {2} raster pixels from where its chip was cut.</source>
      <translation>fid {0}(要素 {1})距其图片的裁剪位置 {2} 个栅格像元。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/chips/placement.py" line="211" />
      <source>... and {0} more.</source>
      <translation>……另有 {0} 个。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/chips/placement.py" line="212" />
      <source>{0} of the {1} features of layer '{2}' checked against the chips are not where their chips were cut ({3}): {4} Matched by {5}, they would get another object's class, so {6} Restore the fid values the chips were cut with, or choose the layer and fid field they were cut from; if these geometries were edited on purpose since the cut, cut and classify their chips again.</source>
      <translation>图层“{2}”中与图片核对的 {1} 个要素里,有 {0} 个不在其图片的裁剪位置({3}):{4} 按{5}匹配,它们会得到其他对象的类别,因此{6}请恢复裁剪图片时的 fid 值,或选择裁剪图片所用的图层和 fid 字段;如果这些几何是在裁剪后有意修改的,请重新裁剪并分类它们的图片。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/chips/placement.py" line="221" />
      <source>nothing was written.</source>
      <translation>没有写入任何内容。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/chips/placement.py" line="222" />
      <source>no report was made.</source>
      <translation>没有生成报告。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/chips/render.py" line="57" />
      <source>BANDS must be band numbers separated by commas, like '1,2,3' or '4'; got '{0}'.</source>
      <translation>BANDS 必须是用逗号分隔的波段号，如“1,2,3”或“4”；当前为“{0}”。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/chips/render.py" line="59" />
      <source>BANDS must name one band (shown as grey) or three (red, green, blue); got '{0}'.</source>
      <translation>BANDS 必须指定一个波段（显示为灰度）或三个波段（红、绿、蓝）；当前为“{0}”。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/chips/render.py" line="62" />
      <source>Band {0} does not exist: the raster has {1} band(s).</source>
      <translation>波段 {0} 不存在：该栅格只有 {1} 个波段。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/chips/run_folder.py" line="99" />
      <source>The run folder '{0}' holds chips cut with chip size {1} and framing {2}; this run asks for chip size {3} and framing {4}. Resume with the same settings, or turn OVERWRITE on to cut every chip again.</source>
      <translation>运行文件夹“{0}”中的切片按切片尺寸 {1}、取景 {2} 切出；本次运行要求切片尺寸 {3}、取景 {4}。请用相同设置续跑，或打开 OVERWRITE 重新切出全部切片。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/chips/run_folder.py" line="111" />
      <source>The run folder '{0}' holds chips named by {1}; this run names features by {2}. Resume with the same fid field, or turn OVERWRITE on to cut every chip again.</source>
      <translation>运行文件夹“{0}”中的切片按 {1} 命名；本次运行按 {2} 命名要素。请用相同的 fid 字段续跑，或打开 OVERWRITE 重新切出全部切片。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/answer/parse.py" line="51" />
      <location filename="../../plugin/core/classify/answer/parse.py" line="120" />
      <source>fid {0} appears twice in the answer</source>
      <translation>回答中 fid {0} 出现了两次</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/answer/parse.py" line="65" />
      <location filename="../../plugin/core/classify/answer/parse.py" line="58" />
      <source>{0} is {1}, not an integer</source>
      <translation>{0} 是 {1},不是整数</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/answer/parse.py" line="72" />
      <source>the value for fid {0} is not a class_id</source>
      <translation>fid {0} 的值不是 class_id</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/answer/parse.py" line="75" />
      <source>the value for fid {0} is not an object with class_id and reason</source>
      <translation>fid {0} 的值不是含 class_id 和 reason 的对象</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/answer/parse.py" line="92" />
      <source>item {0} of the answer is not an object</source>
      <translation>回答的第 {0} 项不是对象</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/answer/parse.py" line="94" />
      <source>item {0} of the answer has no fid</source>
      <translation>回答的第 {0} 项没有 fid</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/answer/parse.py" line="97" />
      <source>the answer is neither a JSON object nor a JSON array</source>
      <translation>回答既不是 JSON 对象也不是 JSON 数组</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/answer/parse.py" line="106" />
      <source>the model's answer is empty</source>
      <translation>模型的回答为空</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/answer/parse.py" line="110" />
      <source>the answer is not valid JSON ({0} at character {1})</source>
      <translation>回答不是有效的 JSON(第 {1} 个字符处:{0})</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/answer/parse.py" line="116" />
      <source>a fid</source>
      <translation>一个 fid</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/answer/parse.py" line="118" />
      <source>fid {0} is not in this batch {1}</source>
      <translation>fid {0} 不在本批次 {1} 中</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/answer/parse.py" line="122" />
      <source>fid {0} has no class_id</source>
      <translation>fid {0} 没有 class_id</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/answer/parse.py" line="123" />
      <source>the class_id of fid {0}</source>
      <translation>fid {0} 的 class_id</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/answer/parse.py" line="125" />
      <source>fid {0} has class {1}, which the scheme {2} does not allow</source>
      <translation>fid {0} 的类别 {1} 不是分类方案 {2} 允许的类别</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/answer/parse.py" line="130" />
      <source>fid(s) {0} are missing from the answer</source>
      <translation>回答中缺少 fid {0}</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/clients/client_base.py" line="117" />
      <source>connection refused</source>
      <translation>连接被拒绝</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/clients/client_base.py" line="119" />
      <source>connection dropped by the server</source>
      <translation>服务器断开了连接</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/clients/client_base.py" line="121" />
      <location filename="../../plugin/gui/endpoint_check.py" line="49" />
      <source>{0} ({1}): {2}</source>
      <translation>{0}（{1}）：{2}</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/clients/endpoints.py" line="74" />
      <source>Endpoint {0}: the base URL {1} is not a server address.</source>
      <translation>端点 {0}:基础 URL {1} 不是服务器地址。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/clients/endpoints.py" line="77" />
      <source>Endpoint {0}: API kind must be one of {1}.</source>
      <translation>端点 {0}:API 类型必须是 {1} 之一。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/clients/endpoints.py" line="79" />
      <source>Endpoint {0}: no model name given (e.g. gemma3:27b).</source>
      <translation>端点 {0}:未填写模型名称(例如 gemma3:27b)。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/clients/endpoints.py" line="81" />
      <source>Endpoint {0}: it must accept at least 1 request at once.</source>
      <translation>端点 {0}:它必须至少能同时处理 1 个请求。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/clients/endpoints.py" line="83" />
      <source>Endpoint {0}: the timeout must be positive.</source>
      <translation>端点 {0}:超时时间必须为正数。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/clients/endpoints.py" line="139" />
      <source>Endpoint {0}: the API key has spaces or line breaks inside it, so no server can accept it; copy the key again (it is not shown here).</source>
      <translation>端点 {0}:API 密钥中间含有空格或换行,服务器无法接受;请重新复制密钥(此处不显示密钥)。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/clients/endpoints.py" line="145" />
      <source>Endpoint {0}: the API key has characters that cannot go into an HTTP header; copy the key again (it is not shown here).</source>
      <translation>端点 {0}:API 密钥含有不能放入 HTTP 头的字符;请重新复制密钥(此处不显示密钥)。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/clients/endpoints.py" line="206" />
      <source>Endpoints {0} ({1}) and {2} ({3}) are the same server; {2} is not used twice. To use two GPUs, run one 'ollama serve' per GPU on its own port.</source>
      <translation>端点 {0}({1})和 {2}({3})是同一台服务器;{2} 不会被重复使用。要使用两块 GPU,请为每块 GPU 在各自端口上运行一个 'ollama serve'。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/clients/ollama_client.py" line="101" />
      <source>{0}: the model takes at most {1} tokens of context, less than the {2} asked for; fewer chips per request fit.</source>
      <translation>{0}:该模型的上下文最多 {1} 个 token,少于所请求的 {2};每个请求能容纳的切片更少。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/clients/ollama_client.py" line="119" />
      <source>{0}: the server behind it does not answer ({1}).</source>
      <translation>{0}:其后端的模型服务器没有响应(“{1}”)。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/clients/ollama_client.py" line="135" />
      <source>{0} lists no model at all (a key without access to any model, or nothing pulled yet).</source>
      <translation>{0} 没有列出任何模型(密钥无权访问任何模型,或尚未拉取模型)。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/clients/ollama_client.py" line="158" />
      <source> Available: {0}.</source>
      <translation> 可用模型:{0}。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/clients/ollama_client.py" line="159" />
      <source>Model {0} is not on {1} ({2}); pull it with 'ollama pull {0}'.{3}</source>
      <translation>{1}({2})上没有模型 {0};请用 'ollama pull {0}' 拉取。{3}</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/clients/ollama_client.py" line="175" />
      <source>Model {0} on {1} cannot read images (capabilities: {2}); choose a vision model such as gemma3.</source>
      <translation>{1} 上的模型 {0} 不能读取图像(能力:{2});请选择视觉模型,例如 gemma3。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/clients/ollama_client.py" line="199" />
      <source>{0} is Open WebUI, not Ollama: use {1}/ollama with the Ollama API (recommended) or {1}/api with the OpenAI API.</source>
      <translation>{0} 是 Open WebUI,不是 Ollama:请使用 {1}/ollama 配合 Ollama API(推荐),或 {1}/api 配合 OpenAI API。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/clients/ollama_client.py" line="203" />
      <source>{0} ({1}) does not answer as Ollama's API (HTTP {2}: {3}); check the address and the API kind.</source>
      <translation>{0}({1})的响应不符合 Ollama API(HTTP {2}:{3});请检查地址和 API 类型。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/clients/openai_client.py" line="136" />
      <source>{0} lists no model at all, so {1} cannot be used: does this API key have access to it (Open WebUI: the model's access settings)?</source>
      <translation>{0} 没有列出任何模型,因此无法使用 {1}:该 API 密钥是否有权访问它(Open WebUI:模型的访问设置)?</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/clients/openai_client.py" line="142" />
      <source>Model {0} is not on {1}; available: {2}.</source>
      <translation>{1} 上没有模型 {0};可用模型:{2}。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/clients/servers.py" line="160" />
      <source>set OLLAMA_CONTEXT_LENGTH on the server, or use its native API (the Ollama kind)</source>
      <translation>请在服务器上设置 OLLAMA_CONTEXT_LENGTH,或改用其原生 API(Ollama 类型)</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/clients/servers.py" line="161" />
      <source>start vLLM with --max-model-len</source>
      <translation>启动 vLLM 时加 --max-model-len</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/clients/servers.py" line="162" />
      <source>start llama-server with --ctx-size</source>
      <translation>启动 llama-server 时加 --ctx-size</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/clients/servers.py" line="163" />
      <source>set it on the model server behind LiteLLM</source>
      <translation>请在 LiteLLM 后端的模型服务器上设置</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/clients/servers.py" line="164" />
      <source>set it on the server</source>
      <translation>请在服务器上设置</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/clients/servers.py" line="165" />
      <source>{0} ({1}) cannot be told the context size with a request: it uses its own setting ({2}; a batch needs about {3} tokens). Answers to prompts the server cut short are detected and not accepted.</source>
      <translation>{0}({1})无法通过请求指定上下文大小,它使用自身的设置({2};一个批次约需 {3} 个 token)。被服务器截断的提示词的回答会被识别出来并不予采用。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/clients/servers.py" line="172" />
      <source>{0}: the API key was refused (HTTP {1}); check the key of this endpoint (its QGIS authentication configuration, or the variable named by API_KEY_ENV).</source>
      <translation>{0}:API 密钥被拒绝(HTTP {1});请检查该端点的密钥(其 QGIS 认证配置,或 API_KEY_ENV 指定的环境变量)。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/dispatch/dispatcher.py" line="274" />
      <source>{0} does not accept the request for token log-probabilities; it is asked without them for the rest of the run, and its results have no confidence (switch 'Ask for the model's confidence' off for this endpoint to skip the refused request).</source>
      <translation>{0} 不接受请求词元对数概率;本次运行其余请求将不再附带此项,其结果没有置信度(可为该端点关闭“请求模型的置信度”以省去被拒的请求)。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/dispatch/dispatcher.py" line="288" />
      <source>the answer could not be read ({0}: {1})</source>
      <translation>无法读取该回答({0}:{1})</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/dispatch/dispatcher.py" line="333" />
      <source>{0} counted {1} prompt tokens for a request of about {2}: it counts only the tokens its prompt cache did not hold (Ollama 0.30, llama-server). Its answers are accepted; a prompt counts as cut only when the count reaches the context size ({3}) or the server says so.</source>
      <translation>{0} 对一个约 {2} 个 token 的请求只统计到 {1} 个提示词 token:它只统计提示词缓存中没有的 token(Ollama 0.30、llama-server)。其回答照常采用;只有当统计数达到上下文大小({3})或服务器明确说明时,才认为提示词被截断。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/dispatch/dispatcher.py" line="347" />
      <source>{0} cut the prompt short ({1} prompt tokens counted, about {2} sent): its context (num_ctx {3}) is too small for {4} chips; batches are split, and answers from cut prompts are not accepted.</source>
      <translation>{0} 截断了提示词(统计到 {1} 个提示词 token,实际发送约 {2} 个):其上下文(num_ctx {3})容纳不下 {4} 张切片;批次将被拆分,被截断提示词的回答不予采用。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/dispatch/dispatcher.py" line="361" />
      <source>{0}: the answer for fid(s) {1} was refused ({2}); the batch is split in halves and asked again.</source>
      <translation>{0}:fid {1} 的回答未被采用({2});该批次拆成两半重新请求。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/dispatch/dispatcher.py" line="374" />
      <source>Unexpected error on {0} with fid(s) {1}: {2} (try {3} of {4} for this batch).</source>
      <translation>{0} 处理 fid {1} 时发生意外错误:{2}(该批次第 {3} 次尝试,共 {4} 次)。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/dispatch/dispatcher.py" line="422" />
      <source>{0} paused for {1:g} s after {2} failed requests in a row (last: {3}); its batches go to the other endpoints.</source>
      <translation>{0} 连续 {2} 个请求失败(最后一次:{3}),暂停 {1:g} 秒;其批次改由其他端点处理。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/dispatch/dispatcher.py" line="430" />
      <source>{0} does not answer ({1}); paused for {2:g} s, its batches go to the other endpoints and wait for it, none counts as failed.</source>
      <translation>{0} 无响应({1});暂停 {2:g} 秒,其批次交给其他端点或等待它恢复,均不计为失败。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/dispatch/dispatcher.py" line="435" />
      <source>{0} refused the strict answer schema ({1}); it gets the simple schema for the rest of the run, and answers are still checked fid by fid.</source>
      <translation>{0} 拒绝了严格回答结构({1});本次运行其余请求改用简单结构,回答仍逐个 fid 检查。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/dispatch/dispatcher.py" line="441" />
      <source>{0} It is left out of this run.</source>
      <translation>{0} 本次运行不再使用该端点。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/dispatch/dispatcher.py" line="443" />
      <source>{0} refused the request (HTTP {1}): “{2}”</source>
      <translation>{0} 拒绝了请求(HTTP {1}):“{2}”</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/dispatch/dispatcher.py" line="455" />
      <source>{0}: model {1} is not available there (the server said: “{2}”).</source>
      <translation>{0}:该处没有模型 {1}(服务器原话:“{2}”)。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/dispatch/dispatcher.py" line="457" />
      <source>{0}: no model API at {1} (HTTP {2}: “{3}”); check the address and the API kind.</source>
      <translation>{0}:{1} 处没有模型 API(HTTP {2}:“{3}”);请检查地址和 API 类型。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/request/prompts.py" line="154" />
      <location filename="../../plugin/core/classify/request/prompts.py" line="78" />
      <source>{0}: the section(s) {1} are missing.</source>
      <translation>{0}:缺少段落 {1}。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/request/prompts.py" line="169" />
      <source>Scheme {0} names the prompt template {1}, which was not found.</source>
      <translation>类别方案 {0} 指定的提示词模板 {1} 不存在。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/request/prompts.py" line="183" />
      <source>Cannot read the prompt template {0}: {1}</source>
      <translation>无法读取提示词模板 {0}:{1}</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/run/engine.py" line="73" />
      <source>No reference examples to send: no class has a reviewed chip or a reference named by the scheme.</source>
      <translation>没有可发送的参考示例:没有任何类别有已复核的切片或分类方案指定的参考图。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/run/engine.py" line="75" />
      <source>{0} reference examples in every request: {1}</source>
      <translation>每个请求带 {0} 个参考示例:{1}</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/run/engine.py" line="171" />
      <source>The batch size must be at least 1 chip per request.</source>
      <translation>每个请求的切片数至少为 1。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/run/engine.py" line="183" />
      <source>No endpoint to send chips to: give the server URLs or add endpoints in the ChipVLM settings.</source>
      <translation>没有可发送切片的端点:请填写服务器 URL,或在 ChipVLM 设置中添加端点。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/run/engine.py" line="198" />
      <source>With {0} reference images a request of {1} chips needs a context (num_ctx) of about {2} tokens; the endpoints have {3}.</source>
      <translation>带 {0} 张参考图时,一个含 {1} 张切片的请求约需 {2} 个 token 的上下文(num_ctx);各端点为 {3}。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/run/engine.py" line="208" />
      <source>Nothing to classify: all {0} chips of the index are done.</source>
      <translation>无需识别:索引中的全部 {0} 张切片均已完成。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/run/engine.py" line="233" />
      <source>{0} holds results made with the class scheme {1}, which differs from {2} ({3}); choose the scheme it was made with or another output file.</source>
      <translation>{0} 中的结果是用分类方案 {1} 生成的,与 {2} 不同({3});请选择生成它时所用的方案,或另选输出文件。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/run/engine.py" line="266" />
      <source>no answer</source>
      <translation>无响应</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/run/engine.py" line="267" />
      <source>{0} ({1}) does not answer: {2}</source>
      <translation>{0}({1})无响应:{2}</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/run/engine.py" line="274" />
      <location filename="../../plugin/core/classify/speed/advice.py" line="49" />
      <source>{0}</source>
      <translation>{0}</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/run/engine.py" line="277" />
      <source>No endpoint can classify chips. {0}</source>
      <translation>没有端点能识别切片。{0}</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/run/engine.py" line="305" />
      <source>{0} chip file(s) not found, recorded as errors (the error column says where each was looked for); first: fid {1}, {2}</source>
      <translation>{0} 个切片文件不存在,已记为识别失败(error 列写明在何处查找过);第一个:fid {1},{2}</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/run/engine.py" line="355" />
      <source>Canceled; finished batches are saved, a new run continues from there.</source>
      <translation>已取消;已完成的批次已保存,新的运行会从此处继续。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/run/engine.py" line="387" />
      <source>Reasons pass: asking class and reason again for the {0} chips that go to review without a reason, {1} a request.</source>
      <translation>补问理由:对 {0} 个需要复核但没有理由的切片重新询问类别和理由,每次请求 {1} 个。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/run/engine.py" line="397" />
      <source>Reasons pass: {0} reasons stored, {1} of them given with another class than the first pass (the chip stays in review, the reason names that class); {2} chips got no reason (a new run asks again).</source>
      <translation>补问理由:已保存 {0} 条理由,其中 {1} 条给出的类别与第一遍不同(该切片仍待复核,理由中写明那个类别);{2} 个切片没有得到理由(重新运行时再问)。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/run/engine.py" line="410" />
      <source>every endpoint is out of the run: {0}</source>
      <translation>所有端点都已退出本次运行:{0}</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/run/engine.py" line="419" />
      <source>no endpoint has answered for {0}: {1}</source>
      <translation>已有 {0} 没有任何端点响应:{1}</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/run/engine.py" line="420" />
      <source>{0}: paused</source>
      <translation>{0}:已暂停</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/run/engine.py" line="522" />
      <location filename="../../plugin/processing/classify_chips.py" line="365" />
      <source>Stopped: {0}</source>
      <translation>已停止:{0}</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/run/engine.py" line="523" />
      <source>The run stopped because {0}. {1} chips were classified and saved; run again when an endpoint answers to classify the rest.</source>
      <translation>运行已停止,原因:{0}。已识别并保存 {1} 张切片;待端点恢复响应后再次运行,以识别其余切片。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/run/lock.py" line="85" />
      <source>{0} is being written by another classification ({1}); wait until it ends or cancel it, or choose another results file.</source>
      <translation>{0} 正在被另一个分类任务写入（{1}）；请等它结束或取消它，或另选一个结果文件。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/run/lock.py" line="117" />
      <source>{0} cannot be locked ({1}); a second classification into {2} at the same time would not be noticed.</source>
      <translation>无法锁定 {0}({1});若同时有第二个识别写入 {2},将无法察觉。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/run/report.py" line="162" />
      <location filename="../../plugin/processing/classify_chips.py" line="323" />
      <source>{0} s</source>
      <translation>{0} 秒</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/run/report.py" line="164" />
      <location filename="../../plugin/processing/classify_chips.py" line="325" />
      <source>{0} min</source>
      <translation>{0} 分钟</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/run/report.py" line="165" />
      <location filename="../../plugin/processing/classify_chips.py" line="326" />
      <source>{0} h {1} min</source>
      <translation>{0} 小时 {1} 分钟</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/speed/advice.py" line="38" />
      <source>{0} s per chip ({1} chips in {2} s, one request alone).</source>
      <translation>每个切片 {0} 秒(单独一个请求:{1} 个切片用时 {2} 秒)。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/speed/advice.py" line="41" />
      <source>Two requests at once took {0} s against {1} s for one: the server ran them in parallel ({2} s per chip together).</source>
      <translation>同时发送两个请求用时 {0} 秒,单个请求用时 {1} 秒:服务器并行处理了它们(合计每个切片 {2} 秒)。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/speed/advice.py" line="46" />
      <source>Two requests at once took {0} s against {1} s for one: the server ran them one after the other.</source>
      <translation>同时发送两个请求用时 {0} 秒,单个请求用时 {1} 秒:服务器是逐个处理的。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/speed/advice.py" line="62" />
      <source>vLLM batches the requests it receives by itself (up to its --max-num-seqs): set 'Requests at once' to 4 or more (now {0}).</source>
      <translation>vLLM 会自行把收到的请求合批处理(最多 --max-num-seqs 个):请把“并发请求数”设为 4 或更多(当前为 {0})。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/speed/advice.py" line="64" />
      <source>vLLM batches requests by itself, yet these two ran one after the other: look at what stands in front of it (a gateway that queues), or at a --max-num-seqs of 1.</source>
      <translation>vLLM 本会自行合批处理请求,但这两个请求却是逐个处理的:请检查它前面是否有排队的网关,或 --max-num-seqs 是否为 1。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/speed/advice.py" line="67" />
      <source>Set 'Requests at once' to the number of requests the server runs together ({0}; now {1}).</source>
      <translation>请把“并发请求数”设为服务器可同时处理的请求数({0};当前为 {1})。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/speed/advice.py" line="70" />
      <source>To run requests in parallel, start Ollama with OLLAMA_NUM_PARALLEL=2 or more (each slot keeps its own context of num_ctx tokens in GPU memory) and set 'Requests at once' to the same number.</source>
      <translation>若要并行处理请求,请以 OLLAMA_NUM_PARALLEL=2 或更大的值启动 Ollama(每个槽位在显存中各占一份 num_ctx 个 token 的上下文),并把“并发请求数”设为相同的数。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/speed/advice.py" line="74" />
      <source>To run requests in parallel, start llama-server with --parallel 2 or more and a --ctx-size that many times what one request needs (the slots share it), and set 'Requests at once' to the same number.</source>
      <translation>若要并行处理请求,请以 --parallel 2 或更大的值启动 llama-server,并把 --ctx-size 设为单个请求所需上下文的相应倍数(各槽位共享它),再把“并发请求数”设为相同的数。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/speed/advice.py" line="77" />
      <source>To run requests in parallel, give the server behind this address more slots (Ollama: OLLAMA_NUM_PARALLEL; llama-server: --parallel; vLLM batches by itself) and set 'Requests at once' to match.</source>
      <translation>若要并行处理请求,请给此地址背后的服务器更多槽位(Ollama:OLLAMA_NUM_PARALLEL;llama-server:--parallel;vLLM 会自行合批),并相应设置“并发请求数”。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/speed/advice.py" line="87" />
      <source>the server's own setting</source>
      <translation>服务器自身的设置</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/speed/advice.py" line="94" />
      <source>Measured with two chips of {0}.</source>
      <translation>使用 {0} 中的两个切片测得。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/speed/advice.py" line="96" />
      <source>Measured with the two sample chips shipped with ChipVLM.</source>
      <translation>使用 ChipVLM 自带的两个示例切片测得。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/speed/estimate.py" line="24" />
      <source>No time estimate for {0} chips: the endpoints have not been measured yet ({1}); the Test of the Model endpoints dialog measures them.</source>
      <translation>无法估计 {0} 个切片所需时间:这些端点尚未测速({1});“模型端点…”对话框中的“测试”会测量它们。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/speed/estimate.py" line="29" />
      <source>At the measured speed this run should take about {0} for {1} chips on 1 endpoint ({2}).</source>
      <translation>按测得的速度,本次运行在 1 个端点上处理 {1} 个切片约需 {0}({2})。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/speed/estimate.py" line="32" />
      <source>At the measured speed this run should take about {0} for {1} chips on {2} endpoints ({3}).</source>
      <translation>按测得的速度,本次运行在 {2} 个端点上处理 {1} 个切片约需 {0}({3})。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/speed/estimate.py" line="35" />
      <source>{0} Not measured, so not counted: {1}.</source>
      <translation>{0} 未测速因而未计入:{1}。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/speed/probe.py" line="171" />
      <source>The chips to measure with cannot be read: {0}</source>
      <translation>无法读取用于测速的切片:{0}</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/speed/probe.py" line="179" />
      <source>A measuring request failed: {0}</source>
      <translation>一个测速请求失败:{0}</translation>
    </message>
    <message>
      <location filename="../../plugin/core/classify/speed/probe.py" line="182" />
      <source>An answer did not pass ChipVLM's checks ({0}); a run splits such batches and asks again.</source>
      <translation>有一个回答未通过 ChipVLM 的检查({0});正式运行时会拆分这样的批次并重新请求。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/fids.py" line="36" />
      <location filename="../../plugin/core/fids.py" line="41" />
      <location filename="../../plugin/core/fids.py" line="49" />
      <source>{0} {1!r} is not a whole number.</source>
      <translation>{0} {1!r} 不是整数。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/fids.py" line="52" />
      <location filename="../../plugin/core/fids.py" line="48" />
      <source>{0} {1} is outside the range of 64-bit integers.</source>
      <translation>{0} {1} 超出了 64 位整数的范围。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/learn/features.py" line="97" />
      <source>Cannot use the feature cache {0}: {1}</source>
      <translation>无法使用特征缓存 {0}:{1}</translation>
    </message>
    <message>
      <location filename="../../plugin/core/learn/features.py" line="257" />
      <source>Features are computed afresh into {0} (none yet, or from another raster).</source>
      <translation>特征重新计算到 {0}(尚无缓存,或缓存来自另一个栅格)。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/learn/features.py" line="294" />
      <source>fid {0}: no features (no geometry, or outside the raster).</source>
      <translation>fid {0}:没有特征(无几何,或在栅格之外)。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/learn/features.py" line="302" />
      <source>Reading objects: {0}</source>
      <translation>正在读取对象:{0}</translation>
    </message>
    <message>
      <location filename="../../plugin/core/learn/features.py" line="351" />
      <source>Features: {0}/{1} objects, {2:.0f} objects/s</source>
      <translation>特征:{0}/{1} 个对象,每秒 {2:.0f} 个</translation>
    </message>
    <message>
      <location filename="../../plugin/core/learn/features.py" line="364" />
      <source>fid {0}: its features could not be read: {1}</source>
      <translation>fid {0}:无法读取其特征:{1}</translation>
    </message>
    <message>
      <location filename="../../plugin/core/learn/opinion.py" line="88" />
      <source>The second opinion needs the Python package scikit-learn, which QGIS's Python does not have. Install it and restart QGIS: on Windows open the 'OSGeo4W Shell' and run 'python -m pip install scikit-learn'; on Debian or Ubuntu run 'sudo apt install python3-sklearn'; elsewhere run '{0} -m pip install scikit-learn'.</source>
      <translation>第二意见需要 Python 包 scikit-learn,而 QGIS 的 Python 中没有。请安装后重启 QGIS:Windows 上打开“OSGeo4W Shell”运行 'python -m pip install scikit-learn';Debian 或 Ubuntu 上运行 'sudo apt install python3-sklearn';其他系统运行 '{0} -m pip install scikit-learn'。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/learn/opinion.py" line="208" />
      <location filename="../../plugin/core/training/labels.py" line="81" />
      <source>{0} does not record its class scheme; classify with chipvlm:classifychips first.</source>
      <translation>{0} 没有记录分类方案;请先用 chipvlm:classifychips 识别。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/learn/opinion.py" line="240" />
      <source>The second opinion learns from the analyst's decisions: it needs at least {0} reviewed objects of at least two classes (with features), and {1} has {2} of {3} class(es). Review more objects in the review dock.</source>
      <translation>第二意见从分析员的决定中学习:至少需要 {0} 个已复核对象、至少两个类别(且有特征),而 {1} 只有 {2} 个、{3} 个类别。请在复核面板中复核更多对象。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/learn/opinion.py" line="248" />
      <source>Training on {0} decisions of {1} classes</source>
      <translation>正在用 {1} 个类别的 {0} 个决定训练</translation>
    </message>
    <message>
      <location filename="../../plugin/core/learn/opinion.py" line="286" />
      <source>Second opinion: {0}/{1} objects</source>
      <translation>第二意见:{0}/{1} 个对象</translation>
    </message>
    <message>
      <location filename="../../plugin/core/learn/report.py" line="42" />
      <source>On the analyst's {0} decisions the model is right {1}, the second opinion {2} ({3}-fold cross-validation: each decision judged by a classifier that did not learn from it).</source>
      <translation>在分析员的 {0} 个决定上,模型正确率 {1},第二意见 {2}({3} 折交叉验证:每个决定都由未从它学习的分类器判断)。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/learn/report.py" line="47" />
      <source>Results: {0}; {1} objects, {2} with features.</source>
      <translation>结果:{0};{1} 个对象,其中 {2} 个有特征。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/learn/report.py" line="49" />
      <source>The second opinion differs from the model on {0} objects.</source>
      <translation>第二意见与模型在 {0} 个对象上不一致。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/learn/report.py" line="51" />
      <source>{0} decisions of the audit sample were left out, so the accuracy report stays unbiased.</source>
      <translation>审核样本的 {0} 个决定未参与训练,精度报告因此保持无偏。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/learn/report.py" line="54" />
      <source>{0} objects took the second opinion's class (APPLY_ABOVE); model_class_id keeps the model's.</source>
      <translation>{0} 个对象采用了第二意见的类别(APPLY_ABOVE);model_class_id 保留模型的类别。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/learn/report.py" line="57" />
      <source>{0} disagreements were sent to review.</source>
      <translation>{0} 个不一致的对象已送去复核。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/learn/report.py" line="60" />
      <source>Right on the decisions, per class</source>
      <translation>各类别在决定上的正确率</translation>
    </message>
    <message>
      <location filename="../../plugin/core/learn/report.py" line="61" />
      <source>Class (analyst)</source>
      <translation>类别(分析员)</translation>
    </message>
    <message>
      <location filename="../../plugin/core/learn/report.py" line="61" />
      <location filename="../../plugin/core/learn/report.py" line="71" />
      <source>Decisions</source>
      <translation>决定</translation>
    </message>
    <message>
      <location filename="../../plugin/core/learn/report.py" line="61" />
      <location filename="../../plugin/core/learn/report.py" line="39" />
      <location filename="../../plugin/core/learn/report.py" line="41" />
      <location filename="../../plugin/core/learn/report.py" line="82" />
      <location filename="../../plugin/processing/second_opinion.py" line="52" />
      <source>Second opinion</source>
      <translation>第二意见</translation>
    </message>
    <message>
      <location filename="../../plugin/core/learn/report.py" line="69" />
      <source>Confusions of the model the second opinion corrects</source>
      <translation>第二意见纠正的模型混淆</translation>
    </message>
    <message>
      <location filename="../../plugin/core/learn/report.py" line="71" />
      <location filename="../../plugin/core/learn/report.py" line="82" />
      <source>Model said</source>
      <translation>模型判为</translation>
    </message>
    <message>
      <location filename="../../plugin/core/learn/report.py" line="71" />
      <source>Analyst decided</source>
      <translation>分析员判为</translation>
    </message>
    <message>
      <location filename="../../plugin/core/learn/report.py" line="72" />
      <source>Second opinion right</source>
      <translation>第二意见正确</translation>
    </message>
    <message>
      <location filename="../../plugin/core/learn/report.py" line="76" />
      <source>The model agrees with every decision.</source>
      <translation>模型与每个决定都一致。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/learn/report.py" line="78" />
      <source>What the second opinion says of the other objects</source>
      <translation>第二意见对其他对象的判断</translation>
    </message>
    <message>
      <location filename="../../plugin/core/learn/report.py" line="80" />
      <source>Objects without a decision where the second opinion differs from the model, by pair of classes.</source>
      <translation>没有决定且第二意见与模型不一致的对象,按类别对统计。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/learn/report.py" line="85" />
      <source>The second opinion agrees with the model on every object without a decision.</source>
      <translation>在所有没有决定的对象上,第二意见都与模型一致。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/results/merge.py" line="78" />
      <source>{0}: {1} is {2!r}, not a whole number ChipVLM can store.</source>
      <translation>{0}:{1} 为 {2!r},不是 ChipVLM 能保存的整数。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/results/merge.py" line="81" />
      <source>{0}: fid and class_id are required.</source>
      <translation>{0}:fid 和 class_id 不能为空。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/results/merge.py" line="95" />
      <source>{0} has no {1!r} column (its header, line 1); is it a ChipVLM results.csv?</source>
      <translation>{0} 没有 {1!r} 列(表头,第 1 行);它是 ChipVLM 的 results.csv 吗?</translation>
    </message>
    <message>
      <location filename="../../plugin/core/results/merge.py" line="109" />
      <source>{0} is not a UTF-8 text file: {1}.</source>
      <translation>{0} 不是 UTF-8 文本文件:{1}。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/results/merge.py" line="111" />
      <source>{0} cannot be read as CSV: {1}.</source>
      <translation>{0} 无法按 CSV 读取:{1}。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/results/merge.py" line="127" />
      <source>{0} is not a ChipVLM results.sqlite (no results table with {1}).</source>
      <translation>{0} 不是 ChipVLM 的 results.sqlite(没有包含 {1} 的 results 表)。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/results/merge.py" line="135" />
      <source>{0} is not a readable results.sqlite: {1}</source>
      <translation>{0} 不是可读取的 results.sqlite:{1}</translation>
    </message>
    <message>
      <location filename="../../plugin/core/results/merge.py" line="141" />
      <source>{0} holds a class scheme that cannot be read: {1}</source>
      <translation>{0} 中的类别方案无法读取:{1}</translation>
    </message>
    <message>
      <location filename="../../plugin/core/results/merge.py" line="149" />
      <location filename="../../plugin/core/review/files.py" line="45" />
      <location filename="../../plugin/core/training/labels.py" line="61" />
      <source>The results file {0} does not exist.</source>
      <translation>结果文件 {0} 不存在。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/results/merge.py" line="173" />
      <source>{0} is open in another program: a classification writing to it, or a review dock. Let the classification finish (or cancel it) and close the run in the review dock, then merge again.</source>
      <translation>{0} 正被其他程序打开:正在写入的分类,或复核面板。请等分类结束(或取消它)并在复核面板中关闭该运行,然后再合并。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/results/merge.py" line="177" />
      <source>{0} cannot be opened: {1}</source>
      <translation>{0} 无法打开:{1}</translation>
    </message>
    <message>
      <location filename="../../plugin/core/results/merge.py" line="190" />
      <source>{0}: {1} {2} is not a class of the scheme {3!r}.</source>
      <translation>{0}:{1} {2} 不是类别方案 {3!r} 中的类别。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/results/merge.py" line="249" />
      <source>No results files to merge.</source>
      <translation>没有要合并的结果文件。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/results/merge.py" line="298" />
      <source>{0} was classified with the scheme {1!r} and an earlier input with {2!r} ({3}); only results of the same class scheme can be merged.</source>
      <translation>{0} 是用分类方案 {1!r} 识别的,而之前的输入用的是 {2!r}({3});只能合并同一分类方案的结果。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/results/merge.py" line="316" />
      <location filename="../../plugin/core/results/merge.py" line="343" />
      <location filename="../../plugin/processing/merge_results.py" line="72" />
      <source>Cannot write the merged results to {0}: {1}</source>
      <translation>无法把合并结果写入 {0}:{1}</translation>
    </message>
    <message>
      <location filename="../../plugin/core/review/decisions.py" line="61" />
      <source>ERROR (-1) means 'not classified'; choose a class, or 0 when you cannot tell.</source>
      <translation>ERROR(-1)表示“未识别”;请选择一个类别,无法判断时选 0。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/review/decisions.py" line="64" />
      <source>Class {0} is not in this run's scheme ({1}).</source>
      <translation>类别 {0} 不在本次运行的分类方案中({1})。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/review/decisions.py" line="91" />
      <location filename="../../plugin/core/review/decisions.py" line="74" />
      <source>Fid {0} is not in {1}.</source>
      <translation>fid {0} 不在 {1} 中。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/review/files.py" line="39" />
      <source>The folder {0} has no results.sqlite: classify its chips first, or open the results file itself.</source>
      <translation>文件夹 {0} 中没有 results.sqlite:请先识别其切片,或直接打开结果文件。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/review/files.py" line="55" />
      <location filename="../../plugin/core/run_info.py" line="38" />
      <source>{0} cannot be read: {1}.</source>
      <translation>无法读取 {0}:{1}。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/review/files.py" line="57" />
      <source>{0} is empty: it is not a results file of ChipVLM.</source>
      <translation>{0} 是空文件:不是 ChipVLM 的结果文件。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/review/files.py" line="60" />
      <source>{0} is the CSV export of a run: open the results.sqlite beside it (the review stores its decisions there).</source>
      <translation>{0} 是某次运行导出的 CSV:请打开它旁边的 results.sqlite(复核结果保存在其中)。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/review/files.py" line="64" />
      <source>{0} is not a results file of ChipVLM (not an SQLite database).</source>
      <translation>{0} 不是 ChipVLM 的结果文件(不是 SQLite 数据库)。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/review/files.py" line="72" />
      <source>{0} cannot be opened as a results file: {1}.</source>
      <translation>无法把 {0} 作为结果文件打开:{1}。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/review/files.py" line="74" />
      <source>{0} has no results table: it is not a results file of ChipVLM (a GeoPackage or another database?). Open the results.sqlite of a run.</source>
      <translation>{0} 中没有 results 表:不是 ChipVLM 的结果文件(是 GeoPackage 或其他数据库?)。请打开某次运行的 results.sqlite。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/review/files.py" line="80" />
      <source>The results table of {0} lacks the columns {1}: it was not written by ChipVLM.</source>
      <translation>{0} 的 results 表缺少字段 {1}:它不是由 ChipVLM 写出的。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/review/files.py" line="166" />
      <source>The chips of this run were named by {0} (run.json), but the classes would be matched by {1} in layer '{2}'. Choose {0} as the fid field.</source>
      <translation>本次运行的切片按 {0} 命名(run.json),但类别将按图层“{2}”中的 {1} 匹配。请选择 {0} 作为 fid 字段。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/review/files.py" line="171" />
      <source>Only {0} of the {1} results of this run have a feature in layer '{2}' by {3}: it is not the layer the chips were cut from ('{4}', {5} features). Choose that layer.</source>
      <translation>本次运行的 {1} 条结果中,只有 {0} 条按 {3} 在图层“{2}”中找到要素:它不是切片所来自的图层(“{4}”,{5} 个要素)。请选择那个图层。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/review/files.py" line="181" />
      <source>{0} is busy: another program (a classification?) has been writing to it for a while. Nothing was stored; try again.</source>
      <translation>{0} 正忙:另一个程序(正在识别?)已写入较长时间。本次未保存任何内容,请重试。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/review/files.py" line="185" />
      <source>{0} cannot be read or written: {1}.</source>
      <translation>无法读写 {0}:{1}。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/review/model.py" line="53" />
      <source>'{0}' is not a fid: type fids as numbers, e.g. 12, 40-45.</source>
      <translation>'{0}' 不是 fid:请输入数字,例如 12, 40-45。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/review/model.py" line="59" />
      <source>The fid range '{0}' is too large.</source>
      <translation>fid 范围 '{0}' 太大。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/run_info.py" line="40" />
      <source>{0} is not a ChipVLM run record (expected a JSON object).</source>
      <translation>{0} 不是 ChipVLM 运行记录(应为 JSON 对象)。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/schemes.py" line="83" />
      <source>class {0} is only in one</source>
      <translation>类别 {0} 只在其中一个方案里</translation>
    </message>
    <message>
      <location filename="../../plugin/core/schemes.py" line="85" />
      <source>class {0} is '{1}' in one and '{2}' in the other</source>
      <translation>类别 {0} 在一个方案里是“{1}”,在另一个里是“{2}”</translation>
    </message>
    <message>
      <location filename="../../plugin/core/schemes.py" line="120" />
      <source>{0}: the top level must be a JSON object with 'id' and 'classes'.</source>
      <translation>{0}:顶层必须是包含 'id' 和 'classes' 的 JSON 对象。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/schemes.py" line="123" />
      <source>{0}: 'id' must be a non-empty text, e.g. "yili8".</source>
      <translation>{0}:'id' 必须是非空文本,例如 "yili8"。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/schemes.py" line="126" />
      <source>{0}: 'language' must be a language code such as "zh" or "en".</source>
      <translation>{0}:'language' 必须是语言代码,例如 "zh" 或 "en"。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/schemes.py" line="129" />
      <source>{0}: 'classes' must be a non-empty list of {{id, name, description}}.</source>
      <translation>{0}:'classes' 必须是非空的 {{id, name, description}} 列表。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/schemes.py" line="134" />
      <source>{0}: class {1} ({2}) is missing; every scheme has -1 (ERROR) and 0 (cannot tell).</source>
      <translation>{0}:缺少类别 {1}({2});每个方案都必须有 -1(识别失败)和 0(无法判断)。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/schemes.py" line="137" />
      <source>{0}: a scheme needs at least one real class besides -1 and 0.</source>
      <translation>{0}:除 -1 和 0 外,方案至少需要一个实际类别。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/schemes.py" line="142" />
      <source>{0}: 'review_reason' must be a non-empty text such as "待复核".</source>
      <translation>{0}:'review_reason' 必须是非空文本,例如 "待复核"。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/schemes.py" line="145" />
      <source>{0}: 'name' must be a text.</source>
      <translation>{0}:'name' 必须是文本。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/schemes.py" line="148" />
      <source>{0}: 'prompt_template' must be a file name.</source>
      <translation>{0}:'prompt_template' 必须是文件名。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/schemes.py" line="165" />
      <source>{0} is not valid JSON (line {1}, column {2}): {3}.</source>
      <translation>{0} 不是有效的 JSON(第 {1} 行,第 {2} 列):{3}。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/schemes.py" line="168" />
      <source>{0} is not usable JSON: {1}.</source>
      <translation>{0} 不是可用的 JSON:{1}。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/schemes.py" line="178" />
      <source>{0}: class id {1} appears twice ({2} and {3}).</source>
      <translation>{0}:类别 id {1} 出现了两次({2} 和 {3})。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/schemes.py" line="187" />
      <source>{0}: class #{1} must be an object with 'id' and 'name'.</source>
      <translation>{0}:第 {1} 个类别必须是包含 'id' 和 'name' 的对象。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/schemes.py" line="191" />
      <source>{0}: class #{1} has id {2}; ids must be integers.</source>
      <translation>{0}:第 {1} 个类别的 id 为 {2};id 必须是整数。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/schemes.py" line="193" />
      <source>{0}: class id {1} is not allowed; ids start at -1.</source>
      <translation>{0}:不允许类别 id {1};id 从 -1 开始。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/schemes.py" line="196" />
      <source>{0}: class #{1} has id {2}, beyond a 64-bit integer; class ids are small whole numbers.</source>
      <translation>{0}:第 {1} 个类别的 id {2} 超出 64 位整数;类别 id 应是较小的整数。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/schemes.py" line="200" />
      <source>{0}: class {1} needs a non-empty 'name'.</source>
      <translation>{0}:类别 {1} 需要非空的 'name'。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/schemes.py" line="203" />
      <source>{0}: the description of class {1} must be a text.</source>
      <translation>{0}:类别 {1} 的描述必须是文本。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/schemes.py" line="220" />
      <source>{0}: 'references' of class {1} must be a list of fids or image files.</source>
      <translation>{0}:类别 {1} 的 'references' 必须是 fid 或图片文件的列表。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/schemes.py" line="224" />
      <source>{0}: reference {1} of class {2} is neither a fid (a whole number) nor an image file name.</source>
      <translation>{0}:类别 {2} 的参考样例 {1} 既不是 fid(整数)也不是图片文件名。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/schemes.py" line="228" />
      <source>{0}: class {1} cannot have reference examples; give them to real classes.</source>
      <translation>{0}:类别 {1} 不能有参考样例;请给实际类别设置。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/schemes.py" line="257" />
      <source>No class scheme given: name a shipped scheme id or a .json file.</source>
      <translation>未指定类别方案:请填写内置方案的 id 或一个 .json 文件。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/schemes.py" line="265" />
      <source>Class scheme {0} not found: it is neither a shipped scheme ({1}) nor an existing .json file.</source>
      <translation>找不到类别方案 {0}:它既不是内置方案({1}),也不是已存在的 .json 文件。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/schemes.py" line="270" />
      <source>Cannot read class scheme {0}: {1}</source>
      <translation>无法读取类别方案 {0}:{1}</translation>
    </message>
    <message>
      <location filename="../../plugin/core/training/export.py" line="80" />
      <source>The chips index of {0} was not found (looked at {1}).</source>
      <translation>找不到 {0} 的切片索引(查找过:{1})。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/training/export.py" line="122" />
      <source>The run was cut from {0}, which is not there any more; give the raster (RASTER) to cut clean chips.</source>
      <translation>本次运行切自 {0},该文件已不存在;请指定栅格(RASTER)以切取干净切片。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/training/export.py" line="124" />
      <source>The run folder {0} does not say which raster it was cut from (no run.json); give the raster (RASTER) to cut clean chips.</source>
      <translation>运行文件夹 {0} 没有记录切自哪个栅格(没有 run.json);请指定栅格(RASTER)以切取干净切片。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/training/export.py" line="144" />
      <source>not in the chips index</source>
      <translation>不在切片索引中</translation>
    </message>
    <message>
      <location filename="../../plugin/core/training/export.py" line="145" />
      <source>chip file missing</source>
      <translation>切片文件缺失</translation>
    </message>
    <message>
      <location filename="../../plugin/core/training/export.py" line="169" />
      <source>fid {0}: chip file not found (looked at {1})</source>
      <translation>fid {0}:找不到切片文件(查找过 {1})</translation>
    </message>
    <message>
      <location filename="../../plugin/core/training/export.py" line="182" />
      <source>The output folder {0} is inside the run's chips folder; choose another folder.</source>
      <translation>输出文件夹 {0} 位于本次运行的切片文件夹内;请另选文件夹。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/training/export.py" line="186" />
      <source>{0} holds an export in the {1} format{2}; choose an empty folder for a {3}{4} export.</source>
      <translation>{0} 中已有 {1} 格式{2}的导出;导出 {3}{4} 格式请选择一个空文件夹。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/training/export.py" line="199" />
      <source>FORMAT must be one of {0}, not {1}.</source>
      <translation>FORMAT 必须是 {0} 之一,而不是 {1}。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/training/export.py" line="201" />
      <source>The validation share must be at least 0 and below 1, not {0}.</source>
      <translation>验证集比例必须不小于 0 且小于 1,而不是 {0}。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/training/export.py" line="256" />
      <source>{0}/{1} chips</source>
      <translation>{0}/{1} 张切片</translation>
    </message>
    <message>
      <location filename="../../plugin/core/training/export_types.py" line="60" />
      <source>{0} {1}</source>
      <translation>{0} 个{1}</translation>
    </message>
    <message>
      <location filename="../../plugin/core/training/export_types.py" line="65" />
      <source>{0} chips exported ({1} train, {2} val): {3} written ({4} linked, {5} copied, {6} cut clean), {7} already up to date, {8} moved, {9} removed.</source>
      <translation>已导出 {0} 张切片(训练 {1},验证 {2}):写入 {3} 张(硬链接 {4},复制 {5},重新裁切 {6}),{7} 张已是最新,移动 {8} 张,删除 {9} 张。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/training/export_types.py" line="70" />
      <location filename="../../plugin/core/training/listing.py" line="146" />
      <source>Left out: {0}.</source>
      <translation>未导出:{0}。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/training/labels.py" line="32" />
      <source>not reviewed</source>
      <translation>未复核</translation>
    </message>
    <message>
      <location filename="../../plugin/core/training/labels.py" line="33" />
      <source>below the confidence</source>
      <translation>低于置信度下限</translation>
    </message>
    <message>
      <location filename="../../plugin/core/training/labels.py" line="34" />
      <source>class -1 or 0</source>
      <translation>类别为 -1 或 0</translation>
    </message>
    <message>
      <location filename="../../plugin/core/training/labels.py" line="35" />
      <source>class not in the scheme</source>
      <translation>类别不在分类方案中</translation>
    </message>
    <message>
      <location filename="../../plugin/core/training/labels.py" line="36" />
      <source>in the audit sample (kept for assessment)</source>
      <translation>属于审核样本(留作精度评估)</translation>
    </message>
    <message>
      <location filename="../../plugin/core/training/labels.py" line="67" />
      <source>{0} is not a results file of ChipVLM: {1}.</source>
      <translation>{0} 不是 ChipVLM 的结果文件:{1}。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/training/labels.py" line="70" />
      <source>{0} is not a results file of ChipVLM (it has no results table).</source>
      <translation>{0} 不是 ChipVLM 的结果文件(没有 results 表)。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/training/labels.py" line="125" />
      <source>INCLUDE must be one of {0}, not {1}.</source>
      <translation>INCLUDE 必须是 {0} 之一,而不是 {1}。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/training/listing.py" line="96" />
      <source>Where the labels came from (one label a chip; an audit decision wins over a review, a review over the model):</source>
      <translation>标签来源(每张切片一个标签;审核决定优先于复核,复核优先于模型):</translation>
    </message>
    <message>
      <location filename="../../plugin/core/training/listing.py" line="98" />
      <source>  audit    (reference classes of the audit sample): {0}</source>
      <translation>  audit    (审核样本的参考类别):{0}</translation>
    </message>
    <message>
      <location filename="../../plugin/core/training/listing.py" line="99" />
      <source>  reviewed (the analyst's decisions in the review dock): {0}</source>
      <translation>  reviewed (分析员在复核面板中的决定):{0}</translation>
    </message>
    <message>
      <location filename="../../plugin/core/training/listing.py" line="102" />
      <source>  model    (the model's class, confidence &gt;= {0:g}, not checked by anyone): {1}</source>
      <translation>  model    (模型给出的类别,置信度 &gt;= {0:g},未经任何人核对):{1}</translation>
    </message>
    <message>
      <location filename="../../plugin/core/training/listing.py" line="106" />
      <source>The audit sample ({0} chips, {1} of them also reviewed) is left out: it is kept for assessing accuracy, which a model trained on it could not be assessed on. INCLUDE_AUDIT puts it in (its reference classes then win over reviews).</source>
      <translation>审核样本({0} 张切片,其中 {1} 张也已复核)未导出:它留作精度评估,用它训练的模型无法再用它来评估。INCLUDE_AUDIT 可将其纳入(届时其参考类别优先于复核)。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/training/listing.py" line="111" />
      <source>{0} reviewed chips are in the audit sample: those with a reference class count under audit, whose class wins over the review (INCLUDE_AUDIT is on).</source>
      <translation>{0} 张已复核的切片属于审核样本:其中已有参考类别的计入 audit,其类别优先于复核(INCLUDE_AUDIT 已开启)。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/training/listing.py" line="123" />
      <source>{0} (clean chips: cut again from the raster, no outline, no label)</source>
      <translation>{0}(干净切片:从栅格重新裁切,无轮廓,无标注)</translation>
    </message>
    <message>
      <location filename="../../plugin/core/training/listing.py" line="124" />
      <source>{0} (the run's chips: red outline and fid label drawn)</source>
      <translation>{0}(运行中的切片:画有红色轮廓和 fid 标注)</translation>
    </message>
    <message>
      <location filename="../../plugin/core/training/listing.py" line="126" />
      <source>ChipVLM training set</source>
      <translation>ChipVLM 训练集</translation>
    </message>
    <message>
      <location filename="../../plugin/core/training/listing.py" line="128" />
      <location filename="../../plugin/gui/classify_task.py" line="121" />
      <location filename="../../plugin/processing/classify_chips.py" line="302" />
      <source>Results: {0}</source>
      <translation>结果:{0}</translation>
    </message>
    <message>
      <location filename="../../plugin/core/training/listing.py" line="129" />
      <source>Chips index: {0}</source>
      <translation>切片索引:{0}</translation>
    </message>
    <message>
      <location filename="../../plugin/core/training/listing.py" line="130" />
      <source>Format: {0}</source>
      <translation>格式:{0}</translation>
    </message>
    <message>
      <location filename="../../plugin/core/training/listing.py" line="131" />
      <source>Scheme: {0} ({1}), language {2}</source>
      <translation>分类方案:{0}({1}),语言 {2}</translation>
    </message>
    <message>
      <location filename="../../plugin/core/training/listing.py" line="132" />
      <source>Validation share: {0:g}, stratified by class, seed {1}</source>
      <translation>验证集比例:{0:g},按类别分层,随机种子 {1}</translation>
    </message>
    <message>
      <location filename="../../plugin/core/training/listing.py" line="136" />
      <source>Chips per class and split:</source>
      <translation>各类别、各划分的切片数:</translation>
    </message>
    <message>
      <location filename="../../plugin/core/training/listing.py" line="137" />
      <source>class</source>
      <translation>类别</translation>
    </message>
    <message>
      <location filename="../../plugin/core/training/listing.py" line="137" />
      <source>total</source>
      <translation>合计</translation>
    </message>
    <message>
      <location filename="../../plugin/core/training/listing.py" line="144" />
      <source>all</source>
      <translation>全部</translation>
    </message>
    <message>
      <location filename="../../plugin/core/training/listing.py" line="148" />
      <source>Every manifest row / COCO image has: class_id, class_name, fid, label_source, confidence (the model's confidence in the exported class; empty where the label is not the model's class), and the chip's window on the raster in pixels ({0}).</source>
      <translation>清单的每一行 / 每个 COCO 图像包含:class_id、class_name、fid、label_source、confidence(模型对所导出类别的置信度;标签不是模型给出的类别时为空),以及切片在栅格上的像素窗口({0})。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/training/placing.py" line="133" />
      <source>Clean chips need the run's stretch {0}, which cannot be read: {1}.</source>
      <translation>干净切片需要本次运行的拉伸参数 {0},但无法读取:{1}。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/training/references.py" line="71" />
      <source>The references cannot be read from {0}: {1}.</source>
      <translation>无法从 {0} 读取参考样例:{1}。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/training/references.py" line="99" />
      <source>The references would come from {0}, classified with the class scheme {1}, not {2}: its class ids mean other classes ({3}).</source>
      <translation>参考样例将取自 {0},它用分类方案 {1} 而不是 {2} 识别:其类别编号代表的是别的类别({3})。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/training/references.py" line="117" />
      <source>The scheme names fid {0} as a reference for class {1}, but {2} has no chip for it.</source>
      <translation>分类方案把 fid {0} 指定为类别 {1} 的参考样例,但 {2} 中没有它的切片。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/training/references.py" line="122" />
      <source>The reference image {0} of class {1} does not exist.</source>
      <translation>类别 {1} 的参考影像 {0} 不存在。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/training/references.py" line="144" />
      <source>At most {0} reference examples per class, not {1}.</source>
      <translation>每类最多 {0} 个参考样例,而不是 {1}。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/training/references.py" line="200" />
      <source>The reference image {0} cannot be read: {1}.</source>
      <translation>无法读取参考影像 {0}:{1}。</translation>
    </message>
    <message>
      <location filename="../../plugin/core/training/references.py" line="236" />
      <source>{0} reference images and {1} chips per request need a context (num_ctx) of at least {2} tokens; {3} is smaller. Send fewer references or chips per request, or raise the endpoint's num_ctx.</source>
      <translation>{0} 张参考影像加每次请求 {1} 个切片,需要至少 {2} 个 token 的上下文(num_ctx);{3} 不够。请减少参考样例或每次请求的切片数,或调大该端点的 num_ctx。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="70" />
      <source>ChipVLM: classify chips</source>
      <translation>ChipVLM:识别切片</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="87" />
      <source>Chip index (chips_index.csv *.csv)</source>
      <translation>切片索引 (chips_index.csv *.csv)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="88" />
      <source>Chip index of a run</source>
      <translation>某次运行的切片索引</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="89" />
      <source>chips_index.csv written by Cut chips</source>
      <translation>由“切取要素切片”生成的 chips_index.csv</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="91" />
      <source>Chip index</source>
      <translation>切片索引</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="102" />
      <source>The run goes on in the background (see the task manager): QGIS stays usable, cancel keeps every finished batch and a new run continues from there.</source>
      <translation>识别在后台运行(见任务管理器):QGIS 可照常使用;取消后已完成的批次全部保留,再次运行会从中断处继续。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="110" />
      <source>Start</source>
      <translation>开始</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="122" />
      <source>Every checked endpoint takes batches from the same queue</source>
      <translation>所有勾选的端点从同一个队列中领取批次</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="125" />
      <source>No endpoint saved yet: add one with Model endpoints…</source>
      <translation>尚未保存端点:请通过“模型端点…”添加</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="129" />
      <location filename="../../plugin/plugin.py" line="94" />
      <source>Model endpoints…</source>
      <translation>模型端点…</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="130" />
      <source>Add, edit and test the servers</source>
      <translation>添加、编辑和测试服务器</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="135" />
      <source>Endpoints</source>
      <translation>端点</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="138" />
      <source>each endpoint's own model</source>
      <translation>各端点自己的模型</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="139" />
      <source>Optional: ask every checked endpoint for this model instead</source>
      <translation>可选:让所有勾选的端点改用此模型</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="140" />
      <source>Model override</source>
      <translation>覆盖模型</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="153" />
      <source>Use a class scheme from a .json file</source>
      <translation>使用 .json 文件中的分类方案</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="157" />
      <location filename="../../plugin/gui/classify_dialog.py" line="285" />
      <source>Class scheme</source>
      <translation>分类方案</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="165" />
      <source> chips per request</source>
      <translation> 个切片/请求</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="166" />
      <source>Batch size</source>
      <translation>批次大小</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="170" />
      <source>all chips</source>
      <translation>全部切片</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="171" />
      <source>Classify only this many chips in this run (0: all); a later run does the rest</source>
      <translation>本次运行只识别这么多个切片(0:全部);其余的留给之后的运行</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="172" />
      <source>Limit</source>
      <translation>数量上限</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="174" />
      <source>Retry chips that ended as errors</source>
      <translation>重试出错的切片</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="183" />
      <source>off</source>
      <translation>关闭</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="184" />
      <source>A result whose confidence (the model's probability of its class, from the token log-probabilities of servers that give them) is under this value needs review; its reason is kept. 0: off.</source>
      <translation>置信度(模型对其类别给出的概率,取自返回词元对数概率的服务器)低于此值的结果需要复核,其理由保留。0:关闭。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="188" />
      <source>Review when confidence is below</source>
      <translation>置信度低于此值时复核</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="191" />
      <source>only for the chips to review</source>
      <translation>只为待复核的切片</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="192" />
      <source>for every chip</source>
      <translation>每个切片都要</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="194" />
      <source>Only for the chips to review: each batch is asked for the class alone, then the chips that go to review are asked again for their reason; the model writes a reason only where an analyst reads it, a fraction of the GPU time. For every chip: class and reason in every answer (slower).</source>
      <translation>只为待复核的切片:每一批先只回答类别,再对需要复核的切片补问理由;模型只在分析员会读的地方写理由,只需一小部分 GPU 时间。每个切片都要:每个回答都含类别和理由(较慢)。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="198" />
      <source>Reasons</source>
      <translation>理由</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="202" />
      <location filename="../../plugin/gui/classify_dialog.py" line="192" />
      <location filename="../../plugin/gui/endpoints_dialog.py" line="251" />
      <source>none</source>
      <translation>无</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="203" />
      <source> per class</source>
      <translation> 张/类</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="204" />
      <source>Chips an analyst reviewed, shown to the model before every batch as examples of each class (about 260 tokens of context each)</source>
      <translation>人工复核过的切片,在每一批之前作为各类别的示例发给模型(每张约占 260 个上下文 token)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="206" />
      <source>Reference examples</source>
      <translation>参考样例</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="209" />
      <location filename="../../plugin/gui/classify_dialog.py" line="222" />
      <location filename="../../plugin/processing/classify_chips.py" line="174" />
      <source>Results (*.sqlite)</source>
      <translation>结果文件 (*.sqlite)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="210" />
      <source>this run's results</source>
      <translation>本次运行的结果</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="211" />
      <source>References from</source>
      <translation>参考样例来源</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="223" />
      <source>Results file</source>
      <translation>结果文件</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="224" />
      <source>results.sqlite beside the index</source>
      <translation>索引旁边的 results.sqlite</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="226" />
      <source>Results</source>
      <translation>结果</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="231" />
      <source>Close</source>
      <translation>关闭</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="285" />
      <source>Class scheme (*.json)</source>
      <translation>分类方案 (*.json)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="350" />
      <source>No reviewed chip to show yet: review some chips of this run, or choose the results of a reviewed run.</source>
      <translation>还没有可用的复核切片:请先复核本次运行的一些切片,或选择一个已复核运行的结果。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="353" />
      <source>{0} reference images in every request: a request of {1} chips needs num_ctx of at least {2}.</source>
      <translation>每次请求带 {0} 张参考影像:一次 {1} 个切片的请求需要 num_ctx 至少为 {2}。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="357" />
      <source>Too small for that: {0}. Lower the references or the batch size, or raise num_ctx in Model endpoints….</source>
      <translation>以下端点不够:{0}。请减少参考样例或批大小,或在“模型端点…”中调大 num_ctx。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="404" />
      <source>Choose the chips_index.csv of a run (made by Cut chips).</source>
      <translation>请选择某次运行的 chips_index.csv(由“切取要素切片”生成)。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="406" />
      <source>The chip index {0} does not exist.</source>
      <translation>切片索引 {0} 不存在。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="409" />
      <source>No endpoint is saved: add one in Model endpoints…</source>
      <translation>尚未保存端点:请在“模型端点…”中添加</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="410" />
      <source>Check at least one endpoint to send chips to.</source>
      <translation>请至少勾选一个用于接收切片的端点。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="422" />
      <source>A classification into {0} is already running: wait for it, or cancel it in the task manager (finished batches are kept).</source>
      <translation>已有识别任务正在写入 {0}:请等待它完成,或在任务管理器中取消它(已完成的批次会保留)。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="443" />
      <source>Classifying the chips of {0} on {1}; progress in the task manager.</source>
      <translation>正在 {1} 上识别 {0} 中的切片;进度见任务管理器。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_dialog.py" line="461" />
      <source>Cannot start</source>
      <translation>无法开始</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_task.py" line="42" />
      <source>ChipVLM: classifying chips</source>
      <translation>ChipVLM:正在识别切片</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_task.py" line="75" />
      <source>The classification failed unexpectedly: {0} (details in the ChipVLM log).</source>
      <translation>识别意外失败:{0}(详见 ChipVLM 日志)。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_task.py" line="94" />
      <source>Review</source>
      <translation>复核</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_task.py" line="106" />
      <source>Classification stopped: {0}</source>
      <translation>识别已停止:{0}</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_task.py" line="110" />
      <source>Classification canceled after {0} chips; finished batches are saved, start it again to continue where it stopped.</source>
      <translation>识别在完成 {0} 个切片后被取消;已完成的批次均已保存,再次开始即可从中断处继续。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_task.py" line="114" />
      <source>Classification finished: {0} chips classified, {1} errors, {2} needing review.</source>
      <translation>识别完成:已识别 {0} 个切片,{1} 个错误,{2} 个需复核。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_task.py" line="117" />
      <source>Nothing to classify: every chip of the index already has a class.</source>
      <translation>没有需要识别的切片:索引中的每个切片都已有类别。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/classify_task.py" line="119" />
      <source>Reasons asked again for the {0} chips to review: {1} stored.</source>
      <translation>已为 {0} 个待复核切片补问理由:保存了 {1} 条。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoint_check.py" line="44" />
      <source>{0} ({1}): not reachable.</source>
      <translation>{0}({1}):无法连接。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoint_check.py" line="50" />
      <source>{0}: {1}</source>
      <translation>{0}：{1}</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoint_check.py" line="51" />
      <source>{0}: reachable</source>
      <translation>{0}:可连接</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoint_check.py" line="55" />
      <source>server version {0}</source>
      <translation>服务器版本 {0}</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoint_check.py" line="57" />
      <source>model {0} present</source>
      <translation>模型 {0} 可用</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoint_check.py" line="59" />
      <source>model {0} NOT found</source>
      <translation>未找到模型 {0}</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoint_check.py" line="61" />
      <source>vision: yes</source>
      <translation>视觉:支持</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoint_check.py" line="63" />
      <source>vision: NO, this model cannot read images</source>
      <translation>视觉:不支持,该模型无法读取图像</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoint_check.py" line="65" />
      <source>vision: unknown</source>
      <translation>视觉:未知</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoint_check.py" line="67" />
      <source>context {0} tokens (model maximum {1})</source>
      <translation>上下文 {0} 个 token（模型上限 {1}）</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoint_check.py" line="69" />
      <source>context {0} tokens</source>
      <translation>上下文 {0} 个 token</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoint_check.py" line="71" />
      <source>context {0} tokens, set on the server</source>
      <translation>上下文 {0} 个 token，由服务器设定</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoint_check.py" line="73" />
      <source>context size set on the server</source>
      <translation>上下文长度由服务器设定</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoint_check.py" line="81" />
      <source>not reachable</source>
      <translation>无法连接</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoint_check.py" line="83" />
      <source>key refused</source>
      <translation>密钥被拒绝</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoint_check.py" line="85" />
      <source>model missing</source>
      <translation>缺少模型</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoint_check.py" line="87" />
      <source>no vision</source>
      <translation>不支持视觉</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoint_check.py" line="89" />
      <source>unusable</source>
      <translation>不可用</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoint_check.py" line="91" />
      <source>OK</source>
      <translation>正常</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoint_check.py" line="91" />
      <source>OK, version {0}</source>
      <translation>正常,版本 {0}</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoint_check.py" line="92" />
      <source>see details</source>
      <translation>见详情</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoint_check.py" line="113" />
      <source>{0}, {1} s/chip</source>
      <translation>{0},每切片 {1} 秒</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoint_check.py" line="145" />
      <source>ChipVLM: testing endpoint {0}</source>
      <translation>ChipVLM:正在测试端点 {0}</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoint_check.py" line="164" />
      <source>The test was canceled.</source>
      <translation>测试已取消。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="67" />
      <source>OpenAI API</source>
      <translation>OpenAI API</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="67" />
      <source>Ollama</source>
      <translation>Ollama</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="83" />
      <source>Tested at {0}.</source>
      <translation>测试于 {0}。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="93" />
      <source>ChipVLM model endpoints</source>
      <translation>ChipVLM 模型端点</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="110" />
      <source>The servers that classify chips. A run can use several at once: one Ollama per GPU, each on its own port, or an OpenAI-compatible gateway such as Open WebUI or vLLM.</source>
      <translation>用于识别切片的服务器。一次运行可以同时使用多个:每块 GPU 一个 Ollama(各用自己的端口),或 Open WebUI、vLLM 等 OpenAI 兼容网关。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="127" />
      <source>At once</source>
      <translation>并发数</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="141" />
      <source>Add</source>
      <translation>添加</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="142" />
      <source>Add an endpoint</source>
      <translation>添加一个端点</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="144" />
      <source>Remove</source>
      <translation>移除</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="145" />
      <source>Remove the selected endpoints</source>
      <translation>移除选中的端点</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="147" />
      <source>Test</source>
      <translation>测试</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="148" />
      <source>Ask the selected endpoints for their version, the model and its vision capability, then send two chips to measure the seconds per chip and whether the server runs requests in parallel</source>
      <translation>向所选端点查询版本、模型及其视觉能力,然后发送两个切片,测量每个切片的秒数以及服务器是否并行处理请求</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="159" />
      <source>Selected endpoint</source>
      <translation>选中的端点</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="162" />
      <source>e.g. gpu0</source>
      <translation>例如 gpu0</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="166" />
      <source>Ollama native (/api/chat)</source>
      <translation>Ollama 原生接口(/api/chat)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="167" />
      <source>OpenAI-compatible (Open WebUI, vLLM, llama.cpp)</source>
      <translation>OpenAI 兼容(Open WebUI、vLLM、llama.cpp)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="174" />
      <source>How many requests this server runs at once (OLLAMA_NUM_PARALLEL)</source>
      <translation>该服务器同时处理的请求数(OLLAMA_NUM_PARALLEL)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="179" />
      <source>How long to wait for one answer before trying again</source>
      <translation>等待单个回答的时长,超时后重试</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="184" />
      <source> tokens</source>
      <translation> 个 token</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="185" />
      <source>The context (num_ctx) asked for with every request: about 260 tokens per chip and per reference image, plus the prompt. Ollama cuts a longer prompt without a word; more context takes more GPU memory. Kept constant per endpoint (a change makes Ollama reload the model). Servers that take no num_ctx with a request (vLLM, llama.cpp) set it themselves; Test shows what the model allows.</source>
      <translation>每个请求要求的上下文长度(num_ctx):每张切片和每张参考影像约 260 个 token,另加提示词。Ollama 会悄悄截断更长的提示词;上下文越大占用的 GPU 显存越多。每个端点保持不变(改动会让 Ollama 重新加载模型)。不随请求接受 num_ctx 的服务器(vLLM、llama.cpp)由其自身设置;“测试”会显示模型允许的上限。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="190" />
      <source>Ask for the model's confidence (token log-probabilities)</source>
      <translation>请求模型的置信度(词元对数概率)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="192" />
      <source>Ollama 0.12.11 and later, vLLM and llama.cpp return them: each result then gets the probability of its class. A server that refuses the request field is asked without it; one that ignores it leaves the confidence empty.</source>
      <translation>Ollama 0.12.11 及以上、vLLM 和 llama.cpp 会返回对数概率:每个结果因此得到其类别的概率。拒绝该请求字段的服务器会改为不带此字段请求;忽略它的服务器置信度为空。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="197" />
      <source>Optional: a QGIS authentication configuration holding the API key (Basic method, key as password); only its id is saved</source>
      <translation>可选:保存 API 密钥的 QGIS 认证配置(Basic 方法,密钥填在密码中);插件只保存该配置的 ID</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="199" />
      <location filename="../../plugin/gui/endpoints_dialog.py" line="127" />
      <source>Name</source>
      <translation>名称</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="200" />
      <location filename="../../plugin/gui/endpoints_dialog.py" line="127" />
      <source>Base URL</source>
      <translation>基础 URL</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="201" />
      <location filename="../../plugin/gui/endpoints_dialog.py" line="127" />
      <source>API</source>
      <translation>API</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="203" />
      <source>Requests at once</source>
      <translation>并发请求数</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="204" />
      <location filename="../../plugin/gui/endpoints_dialog.py" line="127" />
      <source>Timeout</source>
      <translation>超时</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="205" />
      <source>Context (num_ctx)</source>
      <translation>上下文(num_ctx)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="207" />
      <location filename="../../plugin/gui/endpoints_dialog.py" line="128" />
      <source>API key</source>
      <translation>API 密钥</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="211" />
      <location filename="../../plugin/gui/endpoints_dialog.py" line="128" />
      <source>Last test</source>
      <translation>上次测试</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="226" />
      <source>Save</source>
      <translation>保存</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="227" />
      <location filename="../../plugin/gui/review_dock/write_panel.py" line="25" />
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="251" />
      <source>auth config {0}</source>
      <translation>认证配置 {0}</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="252" />
      <source>testing…</source>
      <translation>测试中…</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="334" />
      <source>Credentials in the address</source>
      <translation>地址中含有凭据</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="335" />
      <source>A user name or password written in the address is neither used nor saved: choose an authentication configuration below for the API key.</source>
      <translation>写在地址里的用户名或密码既不会使用也不会保存：请在下方选择一个认证配置来提供 API 密钥。</translation>
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
      <location filename="../../plugin/gui/endpoints_dialog.py" line="397" />
      <source>cannot test</source>
      <translation>无法测试</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="451" />
      <source>An endpoint at {0} has no name: name it, e.g. gpu0.</source>
      <translation>位于 {0} 的端点没有名称:请为它命名,例如 gpu0。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="453" />
      <source>Two endpoints are named {0}: results and progress are reported by name, give each its own.</source>
      <translation>有两个端点都叫 {0}:结果和进度按名称报告,请为每个端点取不同的名称。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/endpoints_dialog.py" line="462" />
      <location filename="../../plugin/gui/endpoints_dialog.py" line="473" />
      <source>Not saved</source>
      <translation>未保存</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/audit_view.py" line="109" />
      <source>Audit {0} of {1}: fid {2}</source>
      <translation>核查第 {0} 个(共 {1} 个):fid {2}</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/audit_view.py" line="111" />
      <source>Reference: {0} {1}</source>
      <translation>参考类别:{0} {1}</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/audit_view.py" line="173" />
      <source>audit {0} of {1}</source>
      <translation>核查 {0} / {1}</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/audit_view.py" line="177" />
      <source>&lt;b&gt;fid {0}&lt;/b&gt; · audit {1} of {2}</source>
      <translation>&lt;b&gt;fid {0}&lt;/b&gt; · 核查第 {1} 个(共 {2} 个)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/audit_view.py" line="178" />
      <source>Blind audit: the model's answer is hidden. Choose the class you see (0–9).</source>
      <translation>盲核查:模型的答案已隐藏。请选择您看到的类别(0–9)。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/audit_view.py" line="182" />
      <source>Reference: &lt;b&gt;{0} {1}&lt;/b&gt; by {2}, {3}</source>
      <translation>参考类别:&lt;b&gt;{0} {1}&lt;/b&gt;,{2},{3}</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/common.py" line="35" />
      <source>reviewed</source>
      <translation>已复核</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/common.py" line="36" />
      <source>to review</source>
      <translation>待复核</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/common.py" line="37" />
      <source>error</source>
      <translation>错误</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/common.py" line="38" />
      <source>model</source>
      <translation>模型</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/common.py" line="51" />
      <source>Confidence {0}</source>
      <translation>置信度 {0}</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/common.py" line="52" />
      <source>Confidence {0}, next: {1} {2}</source>
      <translation>置信度 {0},其次:{1} {2}</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/common.py" line="71" />
      <source>Second opinion applied: {0}, the model said {1} {2}</source>
      <translation>已采用第二意见：{0}，模型原判 {1} {2}</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/common.py" line="74" />
      <source>Second opinion differs: {0}</source>
      <translation>第二意见不同：{0}</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/common.py" line="76" />
      <source>Second opinion agrees: {0}</source>
      <translation>第二意见一致：{0}</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/common.py" line="77" />
      <source>Second opinion: {0}</source>
      <translation>第二意见：{0}</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/common.py" line="115" />
      <source>{0} UTC</source>
      <translation>{0} UTC</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/common.py" line="123" />
      <source>reviewed by {0}</source>
      <translation>已由 {0} 复核</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/common.py" line="125" />
      <source>second opinion applied, model said {0} {1}</source>
      <translation>已采用第二意见，模型原判 {0} {1}</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/common.py" line="139" />
      <source>Model: {0} {1}</source>
      <translation>模型:{0} {1}</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/common.py" line="147" />
      <source>Reviewed: &lt;b&gt;{0} {1}&lt;/b&gt; by {2}, {3}</source>
      <translation>复核:&lt;b&gt;{0} {1}&lt;/b&gt;,{2},{3}</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/counter.py" line="27" />
      <location filename="../../plugin/gui/review_dock/counter.py" line="35" />
      <source>Reviewed out of needing review</source>
      <translation>已复核 / 需复核</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/counter.py" line="31" />
      <source>No run open</source>
      <translation>未打开运行结果</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/counter.py" line="37" />
      <source>Reviewed {0} of {1} needing review</source>
      <translation>已复核 {0} / 共 {1} 个需复核</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/counter.py" line="38" />
      <source>{0} chips listed</source>
      <translation>列出 {0} 个切片</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/counter.py" line="41" />
      <source>Decided out of the audit sample</source>
      <translation>核查样本中已判定的比例</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/decisions.py" line="31" />
      <source>Reference class {0} {1}.</source>
      <translation>参考类别 {0} {1}。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/decisions.py" line="33" />
      <source>Set to {0} {1}.</source>
      <translation>已设为 {0} {1}。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/decisions.py" line="39" />
      <location filename="../../plugin/gui/review_dock/dock.py" line="524" />
      <source>The audit is blind: there is no model class to accept. Choose the class you see (0–9).</source>
      <translation>核查是盲的:没有可接受的模型类别。请选择您看到的类别(0–9)。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/decisions.py" line="43" />
      <source>The model gave no class for {0} (error): press a number key to choose one.</source>
      <translation>模型没有给出 {0} 的类别(错误):请按数字键选择类别。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/decisions.py" line="45" />
      <source>Confirmed the model's class.</source>
      <translation>已确认模型给出的类别。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/decisions.py" line="52" />
      <source>Reference class forgotten.</source>
      <translation>已清除参考类别。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/decisions.py" line="54" />
      <source>Decision forgotten: back to the model's class.</source>
      <translation>已取消复核:恢复为模型给出的类别。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/decisions.py" line="65" />
      <source>Nothing to undo.</source>
      <translation>没有可撤销的操作。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/decisions.py" line="66" />
      <source>Undone: {0} chip(s).</source>
      <translation>已撤销:{0} 个切片。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/decisions.py" line="68" />
      <source>Left as decided since by someone else: {0}.</source>
      <translation>以下切片之后已被他人复核,保持不变:{0}。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/decisions.py" line="69" />
      <source>fid {0} ({1})</source>
      <translation>fid {0}({1})</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/decisions.py" line="92" />
      <location filename="../../plugin/gui/review_dock/dock.py" line="575" />
      <source>Open the results of a run first.</source>
      <translation>请先打开某次运行的结果。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/decisions.py" line="161" />
      <source>Every chip of the audit sample has a reference class.</source>
      <translation>核查样本中的每个切片都已有参考类别。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/decisions.py" line="164" />
      <source>Every chip in this list is reviewed.</source>
      <translation>列表中的切片都已复核。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/dock.py" line="68" />
      <location filename="../../plugin/gui/review_dock/write_panel.py" line="26" />
      <source>ChipVLM review</source>
      <translation>ChipVLM 复核</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/dock.py" line="106" />
      <source>Run, layer, filters and chip list</source>
      <translation>运行、图层、筛选与切片列表</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/dock.py" line="137" />
      <source>0–9 class · Space/Enter confirm · arrows move · N next to review · Ctrl+Z undo · Del forget · +/− zoom · M chip/map</source>
      <translation>0–9 类别 · 空格/回车 确认 · 方向键 移动 · N 下一个待复核 · Ctrl+Z 撤销 · Del 清除 · +/− 缩放 · M 切片/地图</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/dock.py" line="225" />
      <source>Type the results.sqlite of a run, or its folder.</source>
      <translation>请输入某次运行的 results.sqlite 或其文件夹。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/dock.py" line="270" />
      <source>Opened {0}: {1} results.</source>
      <translation>已打开 {0}:共 {1} 条结果。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/dock.py" line="272" />
      <source>Opened {0}: no results yet (the classification has not stored its first batch); they are listed as you filter again.</source>
      <translation>已打开 {0}:还没有结果(分类尚未保存第一批);再次筛选时会列出新结果。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/dock.py" line="287" />
      <source>{0} holds no results yet and no class scheme: its classification stopped before the first batch. Classify the chips (again), then review.</source>
      <translation>{0} 还没有任何结果,也没有类别方案:它的分类在第一批之前就停止了。请(重新)分类切片后再复核。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/dock.py" line="307" />
      <source>The layer this run was cut from ('{0}') is not in the project: add it, then choose it as the layer.</source>
      <translation>本次运行切片所来自的图层(“{0}”)不在工程中:请添加它,然后选择它作为图层。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/dock.py" line="386" />
      <location filename="../../plugin/gui/review_dock/dock.py" line="579" />
      <source>Choose the layer the chips were cut from first.</source>
      <translation>请先选择切片所来自的图层。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/dock.py" line="403" />
      <source>No feature is selected on the map: the list is empty.</source>
      <translation>地图上没有选中的要素:列表为空。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/dock.py" line="457" />
      <source>Audit: {0} sampled chips, the model's answer hidden. Choose the class you see (0–9).</source>
      <translation>核查:{0} 个样本切片,模型的答案已隐藏。请选择您看到的类别(0–9)。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/dock.py" line="506" />
      <location filename="../../plugin/gui/review_dock/panel.py" line="62" />
      <source>Accept the model's class (Space or Enter)</source>
      <translation>接受模型给出的类别(空格或回车)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/dock.py" line="507" />
      <source>Accept the model's class {0} {1} (Space or Enter)</source>
      <translation>接受模型给出的类别 {0} {1}(空格或回车)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/dock.py" line="569" />
      <source>The live map needs the layer the chips were cut from: choose it above.</source>
      <translation>实时地图需要切片所来自的图层:请在上方选择。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/filters.py" line="51" />
      <source>Needs review</source>
      <translation>需复核</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/filters.py" line="51" />
      <source>All results</source>
      <translation>全部结果</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/filters.py" line="52" />
      <source>Errors</source>
      <translation>错误</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/filters.py" line="54" />
      <source>Audit (blind sample)</source>
      <translation>核查(盲样本)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/filters.py" line="56" />
      <location filename="../../plugin/gui/review_dock/filters.py" line="152" />
      <source>Any class</source>
      <translation>任意类别</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/filters.py" line="58" />
      <source>Reviewed or not</source>
      <translation>已复核或未复核</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/filters.py" line="58" />
      <source>Not reviewed</source>
      <translation>未复核</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/filters.py" line="61" />
      <source>By fid</source>
      <translation>按 fid 排序</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/filters.py" line="62" />
      <source>By class</source>
      <translation>按类别排序</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/filters.py" line="63" />
      <source>Least sure first</source>
      <translation>最不确定的在前</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/filters.py" line="66" />
      <source>Second opinion: any</source>
      <translation>第二意见：不限</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/filters.py" line="66" />
      <source>Second opinion differs</source>
      <translation>第二意见不同</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/filters.py" line="67" />
      <source>Second opinion agrees</source>
      <translation>第二意见一致</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/filters.py" line="69" />
      <source>List only the results where the second opinion (chipvlm:secondopinion, trained on your decisions) gives another class than the model, or the same</source>
      <translation>只列出第二意见（chipvlm:secondopinion，用您的判定训练）给出的类别与模型不同（或相同）的结果</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/filters.py" line="90" />
      <source>fids, e.g. 12, 40-45</source>
      <translation>fid,例如 12, 40-45</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/filters.py" line="98" />
      <source>Conf. &lt; </source>
      <translation>置信度 &lt; </translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/filters.py" line="99" />
      <source>Conf.: any</source>
      <translation>置信度:不限</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/filters.py" line="100" />
      <source>List only the results the model was less sure of than this (results without a confidence are left out); 0 = any</source>
      <translation>只列出模型置信度低于此值的结果(没有置信度的结果不列出);0 = 不限</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/filters.py" line="104" />
      <source>Map selection</source>
      <translation>地图选择</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/filters.py" line="106" />
      <source>List only the chips of the features selected on the map</source>
      <translation>只列出地图上选中要素的切片</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/filters.py" line="165" />
      <source>Second opinion: disagreements first</source>
      <translation>第二意见：分歧优先</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/filters.py" line="190" />
      <source>Audit (blind sample of {0})</source>
      <translation>核查(盲样本 {0} 个)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/filters.py" line="191" />
      <source>The chips of the audit sample, without the model's class, reason or confidence: choose the class you see. Stored apart from the review, for the accuracy report.</source>
      <translation>核查样本的切片,不显示模型的类别、理由或置信度:请选择您看到的类别。与复核结果分开保存,用于精度报告。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/filters.py" line="195" />
      <source>Audit: no sample drawn</source>
      <translation>核查:尚未抽取样本</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/filters.py" line="196" />
      <source>This results file has no audit sample. Draw one with the Processing algorithm 'Draw audit sample' (chipvlm:drawsample), then open the run again.</source>
      <translation>此结果文件没有核查样本。请用处理算法“抽取核查样本”(chipvlm:drawsample)抽取,然后重新打开该运行。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/images.py" line="190" />
      <source>no chip image</source>
      <translation>无切片图像</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/large_view.py" line="77" />
      <source>No chip selected</source>
      <translation>未选中切片</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/large_view.py" line="88" />
      <source>The chip image cannot be read:</source>
      <translation>无法读取切片图像:</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/large_view.py" line="90" />
      <source>Chip image not found:</source>
      <translation>找不到切片图像:</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/large_view.py" line="90" />
      <source>(no path recorded)</source>
      <translation>(未记录路径)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/layer_link.py" line="43" />
      <source>Layer</source>
      <translation>图层</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/layer_link.py" line="48" />
      <source>The layer the chips were cut from</source>
      <translation>切片所来自的图层</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/layer_link.py" line="50" />
      <source>Fid field</source>
      <translation>fid 字段</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/layer_link.py" line="57" />
      <source>The field the chips were named by (empty = feature id)</source>
      <translation>切片命名所用的字段(留空 = 要素 ID)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/layer_link.py" line="99" />
      <source>Layer '{0}' has no field '{1}' (the field the chips were named by): the link is broken and writing classes is off. Choose the fid field again.</source>
      <translation>图层“{0}”没有字段“{1}”(切片命名所用的字段):关联已断开,已停止写入类别。请重新选择 fid 字段。</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/model.py" line="200" />
      <source>fid {0}: model says {1} {2}</source>
      <translation>fid {0}:模型判为 {1} {2}</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/model.py" line="207" />
      <source>reviewed: {0} {1} ({2}, {3})</source>
      <translation>复核为:{0} {1}({2},{3})</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/panel.py" line="52" />
      <source>The class of the chip: choose one, or press its number key</source>
      <translation>切片的类别:在此选择,或按其数字键</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/panel.py" line="61" />
      <source>Confirm (Space)</source>
      <translation>确认(空格)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/panel.py" line="63" />
      <source>Next to review (N)</source>
      <translation>下一个待复核(N)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/panel.py" line="64" />
      <source>Jump to the next chip not reviewed yet (N or Tab)</source>
      <translation>跳到下一个尚未复核的切片(N 或 Tab)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/panel.py" line="65" />
      <source>Undo (Ctrl+Z)</source>
      <translation>撤销(Ctrl+Z)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/panel.py" line="66" />
      <location filename="../../plugin/processing/write_classes.py" line="52" />
      <source>Write classes to layer</source>
      <translation>写入图层</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/panel.py" line="67" />
      <source>Write the final classes (reviewed, else the model's) into the linked layer</source>
      <translation>把最终类别(有复核用复核,否则用模型结果)写入关联的图层</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/panel.py" line="88" />
      <source>Class… (0–9)</source>
      <translation>类别… (0–9)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/panel.py" line="92" />
      <source>Set class {0} {1}</source>
      <translation>设为类别 {0} {1}</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/run_panel.py" line="23" />
      <source>Run</source>
      <translation>运行</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/run_panel.py" line="25" />
      <source>results.sqlite of a run, or its folder</source>
      <translation>某次运行的 results.sqlite 或其文件夹</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/run_panel.py" line="26" />
      <source>Type or paste the results.sqlite of a run or its folder and press Enter, or drop one on the dock</source>
      <translation>输入或粘贴某次运行的 results.sqlite 或其文件夹后按回车,或把它拖到本面板上</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/run_panel.py" line="30" />
      <source>Open…</source>
      <translation>打开…</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/run_panel.py" line="31" />
      <source>Open the results.sqlite of a run</source>
      <translation>打开某次运行的 results.sqlite</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/run_panel.py" line="34" />
      <source>Endpoints…</source>
      <translation>端点…</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/run_panel.py" line="35" />
      <source>Add, edit and test the model servers that classify chips</source>
      <translation>添加、编辑和测试用于识别切片的模型服务器</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/run_panel.py" line="46" />
      <source>Open the results of a run</source>
      <translation>打开某次运行的结果</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/run_panel.py" line="46" />
      <source>Results (results.sqlite *.sqlite)</source>
      <translation>结果文件 (results.sqlite *.sqlite)</translation>
    </message>
    <message>
      <location filename="../../plugin/gui/review_dock/write_panel.py" line="25" />
      <source>Writing the classes into '{0}'…</source>
      <translation>正在把类别写入 '{0}'…</translation>
    </message>
    <message>
      <location filename="../../plugin/layers/link.py" line="110" />
      <source>Layer '{0}' has no field '{1}' to match the results' fids.</source>
      <translation>图层 '{0}' 没有用来匹配结果 fid 的字段 '{1}'。</translation>
    </message>
    <message>
      <location filename="../../plugin/layers/link.py" line="134" />
      <source>The run record of this run cannot be read, so the layer cannot be checked against the run: {0} Repair or restore run.json, then write again.</source>
      <translation>无法读取此运行的运行记录,因此无法核对图层是否属于此运行:{0} 请修复或恢复 run.json,然后重新写入。</translation>
    </message>
    <message>
      <location filename="../../plugin/layers/link.py" line="138" />
      <source>The chips index of this run cannot be read, so no feature can be checked against its chip: {0} Repair or restore chips_index.csv, then write again.</source>
      <translation>无法读取此运行的图片索引,因此无法将要素与其图片核对:{0} 请修复或恢复 chips_index.csv,然后重新写入。</translation>
    </message>
    <message>
      <location filename="../../plugin/layers/link.py" line="212" />
      <source>{0} features of '{1}' already hold a class in '{2}' that no result of this run supports (written while their fids named other objects?): do not use those classes. Select them with the expression $id IN ({3}) and clear their class fields.</source>
      <translation>“{1}”中有 {0} 个要素的“{2}”字段已有类别,但本次运行没有任何结果支持它(是在 fid 指向其他对象时写入的吗?):请勿使用这些类别。可用表达式 $id IN ({3}) 选中它们,并清空其类别字段。</translation>
    </message>
    <message>
      <location filename="../../plugin/layers/link.py" line="216" />
      <source>(The expression names the first {0}.)</source>
      <translation>(表达式只列出前 {0} 个。)</translation>
    </message>
    <message>
      <location filename="../../plugin/layers/link.py" line="222" />
      <source>Feature {0} gets no class: {1}</source>
      <translation>要素 {0} 未写入类别:{1}</translation>
    </message>
    <message>
      <location filename="../../plugin/layers/link.py" line="230" />
      <source>The features were not checked against their chips: the run has no chips_index.csv beside its results. Make sure this is the layer and fid field the chips were cut from.</source>
      <translation>要素未与其图片核对:结果文件旁没有此运行的 chips_index.csv。请确认这是裁剪图片所用的图层和 fid 字段。</translation>
    </message>
    <message>
      <location filename="../../plugin/layers/link.py" line="233" />
      <source>{0} features checked against their chips; {1} results have no recorded chip centre and were not checked.</source>
      <translation>已将 {0} 个要素与其图片核对;{1} 个结果没有记录图片中心,未核对。</translation>
    </message>
    <message>
      <location filename="../../plugin/layers/places.py" line="258" />
      <source>the field '{0}'</source>
      <translation>字段“{0}”</translation>
    </message>
    <message>
      <location filename="../../plugin/layers/places.py" line="258" />
      <source>the feature id</source>
      <translation>要素 ID</translation>
    </message>
    <message>
      <location filename="../../plugin/layers/write_back.py" line="90" />
      <source>The class field, the class name field and the review field need three different names (got '{0}', '{1}', '{2}').</source>
      <translation>类别字段、类别名称字段和复核字段必须是三个不同的名称(现为 '{0}'、'{1}'、'{2}')。</translation>
    </message>
    <message>
      <location filename="../../plugin/layers/write_back.py" line="104" />
      <source>a whole number</source>
      <translation>整数</translation>
    </message>
    <message>
      <location filename="../../plugin/layers/write_back.py" line="104" />
      <source>a text</source>
      <translation>文本</translation>
    </message>
    <message>
      <location filename="../../plugin/layers/write_back.py" line="106" />
      <source>The field '{0}' of layer '{1}' is of type {2}, but ChipVLM writes {3} there. Choose another field name, or rename or delete that field.</source>
      <translation>图层 '{1}' 的字段 '{0}' 类型为 {2},但 ChipVLM 要写入{3}。请换一个字段名,或重命名、删除该字段。</translation>
    </message>
    <message>
      <location filename="../../plugin/layers/write_back.py" line="129" />
      <source>Writing the classes was canceled after {0} of {1} features of '{2}'; those keep their new class. Write again to finish.</source>
      <translation>已在写入图层 '{2}' 的 {1} 个要素中的 {0} 个后取消;已写入的要素保留新类别。再次写入即可完成。</translation>
    </message>
    <message>
      <location filename="../../plugin/layers/write_back.py" line="131" />
      <source>{0} features of '{1}' got their class.</source>
      <translation>图层 '{1}' 中 {0} 个要素已写入类别。</translation>
    </message>
    <message>
      <location filename="../../plugin/layers/write_back.py" line="133" />
      <source>New fields: {0}.</source>
      <translation>新建字段:{0}。</translation>
    </message>
    <message>
      <location filename="../../plugin/layers/write_back.py" line="135" />
      <source>The layer is in edit mode: save its edits to keep them (Ctrl+Z undoes them).</source>
      <translation>图层处于编辑状态:保存编辑后才会生效(Ctrl+Z 可撤销)。</translation>
    </message>
    <message>
      <location filename="../../plugin/layers/write_back.py" line="137" />
      <source>{0} features have no result and were left as they are.</source>
      <translation>{0} 个要素没有结果,保持不变。</translation>
    </message>
    <message>
      <location filename="../../plugin/layers/write_back.py" line="143" />
      <location filename="../../plugin/processing/write_classes.py" line="185" />
      <source>... and {0} more features without a usable fid.</source>
      <translation>……另有 {0} 个要素没有可用的 fid。</translation>
    </message>
    <message>
      <location filename="../../plugin/layers/write_back.py" line="150" />
      <source>{0} results have no feature in the layer (fids {1}{2}): is it the layer the chips were cut from, with the same fid field?</source>
      <translation>{0} 条结果在图层中找不到要素(fid {1}{2}):这是切片所来自的图层吗?fid 字段是否相同?</translation>
    </message>
    <message>
      <location filename="../../plugin/layers/write_back.py" line="163" />
      <source>The layer to write classes into is not valid.</source>
      <translation>要写入类别的图层无效。</translation>
    </message>
    <message>
      <location filename="../../plugin/layers/write_back.py" line="169" />
      <source>The field '{0}' of layer '{1}' is a virtual or joined field: ChipVLM cannot write into it. Remove it, or choose another field name.</source>
      <translation>图层 '{1}' 的字段 '{0}' 是虚拟字段或连接字段:ChipVLM 无法写入。请删除它,或换一个字段名。</translation>
    </message>
    <message>
      <location filename="../../plugin/layers/write_back.py" line="176" />
      <source>A shapefile's field names have at most 10 characters: '{0}' would be cut short. Choose a shorter name, or save the layer as a GeoPackage.</source>
      <translation>Shapefile 的字段名最多 10 个字符:'{0}' 会被截断。请换一个更短的名称,或把图层另存为 GeoPackage。</translation>
    </message>
    <message>
      <location filename="../../plugin/layers/write_back.py" line="182" />
      <source>Layer '{0}' is read-only: ChipVLM cannot write classes into it. Save it as a GeoPackage (or run 'Write classes' to a new layer) and try again.</source>
      <translation>图层 '{0}' 是只读的:ChipVLM 无法写入类别。请另存为 GeoPackage(或用“写入类别”输出到新图层)后重试。</translation>
    </message>
    <message>
      <location filename="../../plugin/layers/write_back.py" line="187" />
      <source>Layer '{0}' cannot get new fields ({1}). Add them yourself, or write to a new layer.</source>
      <translation>图层 '{0}' 无法新建字段({1})。请手动添加这些字段,或写入新图层。</translation>
    </message>
    <message>
      <location filename="../../plugin/layers/write_back.py" line="248" />
      <source>Write ChipVLM classes</source>
      <translation>写入 ChipVLM 类别</translation>
    </message>
    <message>
      <location filename="../../plugin/layers/write_back.py" line="253" />
      <source>The field '{0}' cannot be added to layer '{1}'.</source>
      <translation>无法向图层 '{1}' 添加字段 '{0}'。</translation>
    </message>
    <message>
      <location filename="../../plugin/layers/write_back.py" line="261" />
      <source>Writing the classes was canceled; the layer is unchanged.</source>
      <translation>已取消写入类别,图层未改变。</translation>
    </message>
    <message>
      <location filename="../../plugin/layers/write_back.py" line="266" />
      <source>Feature {0} of layer '{1}' could not be changed.</source>
      <translation>无法修改图层 '{1}' 的要素 {0}。</translation>
    </message>
    <message>
      <location filename="../../plugin/layers/write_back.py" line="281" />
      <source>The fields {0} cannot be added to layer '{1}': {2}</source>
      <translation>无法向图层 '{1}' 添加字段 {0}:{2}</translation>
    </message>
    <message>
      <location filename="../../plugin/layers/write_back.py" line="298" />
      <source>Layer '{0}' could not save the classes ({1} features saved before): {2}</source>
      <translation>图层 '{0}' 无法保存类别(此前已保存 {1} 个要素):{2}</translation>
    </message>
    <message>
      <location filename="../../plugin/layers/write_back.py" line="315" />
      <source>The new fields of layer '{0}' could not be found after adding them.</source>
      <translation>图层 '{0}' 添加新字段后找不到这些字段。</translation>
    </message>
    <message>
      <location filename="../../plugin/plugin.py" line="83" />
      <source>Cut chips…</source>
      <translation>切取切片…</translation>
    </message>
    <message>
      <location filename="../../plugin/plugin.py" line="85" />
      <source>Classify chips…</source>
      <translation>识别切片…</translation>
    </message>
    <message>
      <location filename="../../plugin/plugin.py" line="86" />
      <source>Classify the chips of a run with a vision model, in the background</source>
      <translation>在后台用视觉模型识别某次运行的切片</translation>
    </message>
    <message>
      <location filename="../../plugin/plugin.py" line="89" />
      <source>Review results</source>
      <translation>复核结果</translation>
    </message>
    <message>
      <location filename="../../plugin/plugin.py" line="89" />
      <source>Review the classes of a run and write them back to the layer</source>
      <translation>复核某次运行的类别并写回图层</translation>
    </message>
    <message>
      <location filename="../../plugin/plugin.py" line="92" />
      <source>Write classes…</source>
      <translation>写入类别…</translation>
    </message>
    <message>
      <location filename="../../plugin/plugin.py" line="94" />
      <source>Add, edit and test the model servers</source>
      <translation>添加、编辑和测试模型服务器</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/accuracy_report.py" line="71" />
      <source>Estimates the accuracy of the classes in a vector layer (e.g. the output of Write classes to layer) and the area of each class corrected for the map's errors, with confidence intervals, from a reference sample: the audit sample of a results.sqlite (Draw audit sample, then decide its chips in the review dock's Audit filter), or a CSV with columns fid and class_id (a field survey). The estimators are those of Olofsson et al. 2014 for stratified random sampling with the map classes as strata; every object of a class counts equally, and strata are weighted by their ellipsoidal area (or by their number of objects). Kappa is not reported.

The table has one row per class (mapped area and objects, sample units, user's and producer's accuracy, error-adjusted area, each with the half-width of its interval) and a row 'overall'. The HTML report adds the error matrix, charts, the model's confidence against the audit and how often the analyst changed the model's class.

Compare with a second run (advanced): the results.sqlite of another classification of the same objects (e.g. with reference examples in the prompt), assessed on the same reference sample and shown beside this map.</source>
      <translation>根据参考样本估计矢量图层(例如“将类别写入图层”的输出)中各类别的精度,以及按地图误差校正后的各类面积,并给出置信区间。参考样本可以是 results.sqlite 的核查样本(先“抽取核查样本”,再在复核面板的“核查”筛选中判定图片),也可以是含 fid 和 class_id 两列的 CSV(例如野外调查)。估计方法采用 Olofsson 等 2014 的分层随机抽样估计量,以地图类别为层;同一类别的每个对象权重相同,各层按椭球面积(或对象数量)加权。不报告 Kappa。

表格每个类别一行(制图面积与对象数、样本单元数、用户精度和生产者精度、误差校正面积,各附置信区间半宽),另有一行“overall”。HTML 报告还包括误差矩阵、图表、模型置信度与核查结果的对照,以及分析员修改模型类别的频率。

与第二次运行比较(高级):对同一批对象的另一次分类(例如提示词中带参考示例)的 results.sqlite,在同一参考样本上评估,并与本地图并列显示。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/accuracy_report.py" line="90" />
      <source>Layer with the map classes</source>
      <translation>含地图类别的图层</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/accuracy_report.py" line="92" />
      <location filename="../../plugin/processing/write_classes.py" line="96" />
      <source>Class id field</source>
      <translation>类别 ID 字段</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/accuracy_report.py" line="95" />
      <location filename="../../plugin/processing/second_opinion.py" line="85" />
      <source>Fid field (empty = the one recorded in run.json)</source>
      <translation>Fid 字段(留空 = run.json 中记录的字段)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/accuracy_report.py" line="98" />
      <source>Reference (results.sqlite with an audit sample, or CSV fid,class_id)</source>
      <translation>参考数据(含核查样本的 results.sqlite,或 CSV fid,class_id)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/accuracy_report.py" line="100" />
      <source>Results or CSV (*.sqlite *.csv);;All files (*)</source>
      <translation>结果或 CSV (*.sqlite *.csv);;所有文件 (*)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/accuracy_report.py" line="102" />
      <source>Weight the classes by (area: their mapped area; count: their number of objects)</source>
      <translation>类别权重依据(area:制图面积;count:对象个数)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/accuracy_report.py" line="105" />
      <source>Confidence level</source>
      <translation>置信水平</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/accuracy_report.py" line="108" />
      <source>Compare with a second run (its results.sqlite)</source>
      <translation>与第二次运行比较(其 results.sqlite)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/accuracy_report.py" line="110" />
      <location filename="../../plugin/processing/classify_chips.py" line="165" />
      <location filename="../../plugin/processing/draw_sample.py" line="55" />
      <location filename="../../plugin/processing/export_training_set.py" line="67" />
      <location filename="../../plugin/processing/second_opinion.py" line="80" />
      <location filename="../../plugin/processing/write_classes.py" line="84" />
      <source>Results (*.sqlite);;All files (*)</source>
      <translation>结果文件 (*.sqlite);;所有文件 (*)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/accuracy_report.py" line="114" />
      <source>Accuracy report (HTML)</source>
      <translation>精度报告(HTML)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/accuracy_report.py" line="114" />
      <location filename="../../plugin/processing/second_opinion.py" line="112" />
      <source>HTML (*.html)</source>
      <translation>HTML (*.html)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/accuracy_report.py" line="117" />
      <source>Accuracy table (CSV)</source>
      <translation>精度表(CSV)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/accuracy_report.py" line="117" />
      <location filename="../../plugin/processing/draw_sample.py" line="72" />
      <location filename="../../plugin/processing/second_opinion.py" line="110" />
      <source>CSV (*.csv)</source>
      <translation>CSV (*.csv)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/accuracy_report.py" line="119" />
      <source>Overall accuracy</source>
      <translation>总体精度</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/accuracy_report.py" line="121" />
      <source>Overall accuracy: half-width of the confidence interval</source>
      <translation>总体精度:置信区间半宽</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/accuracy_report.py" line="137" />
      <source>The run record of this run cannot be read, so the layer cannot be checked against the run: {0} Repair or restore run.json, then run the report again.</source>
      <translation>无法读取此运行的运行记录,因此无法核对图层是否属于此运行:{0} 请修复或恢复 run.json,然后重新生成报告。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/accuracy_report.py" line="148" />
      <source>The chips index of this run cannot be read, so no feature can be checked against its chip: {0} Repair or restore chips_index.csv, then run the report again.</source>
      <translation>无法读取此运行的图片索引,因此无法将要素与其图片核对:{0} 请修复或恢复 chips_index.csv,然后重新生成报告。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/accuracy_report.py" line="159" />
      <source>The layer has no field '{0}' with the map classes.</source>
      <translation>图层没有存放地图类别的字段“{0}”。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/accuracy_report.py" line="163" />
      <source>The layer has no fid field '{0}'.</source>
      <translation>图层没有 fid 字段“{0}”。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/accuracy_report.py" line="192" />
      <source>{0} features have no class and are not part of the map.</source>
      <translation>{0} 个要素没有类别,不计入地图。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/accuracy_report.py" line="203" />
      <source>Feature {0}: the class '{1}' in field '{2}' is not a whole number.</source>
      <translation>要素 {0}:字段“{2}”中的类别“{1}”不是整数。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/accuracy_report.py" line="210" />
      <location filename="../../plugin/processing/write_classes.py" line="132" />
      <source>The input layer cannot be read.</source>
      <translation>无法读取输入图层。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/accuracy_report.py" line="220" />
      <source>Choose the reference: a results.sqlite with an audit sample, or a CSV with columns fid and class_id.</source>
      <translation>请选择参考数据:含核查样本的 results.sqlite,或含 fid 和 class_id 两列的 CSV。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/accuracy_report.py" line="222" />
      <source>Reading the reference sample</source>
      <translation>正在读取参考样本</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/accuracy_report.py" line="228" />
      <location filename="../../plugin/processing/write_classes.py" line="146" />
      <source>Results are matched by '{0}', the fid field the chips were cut with (run.json).</source>
      <translation>结果按“{0}”匹配,即切片时使用的 fid 字段(run.json)。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/accuracy_report.py" line="231" />
      <source>Measuring the mapped area of every class</source>
      <translation>正在量算各类别的制图面积</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/accuracy_report.py" line="266" />
      <source>No reference fid matches a feature of the layer: is it the layer of the run, with the same fid field?</source>
      <translation>没有参考 fid 与图层要素匹配:这是本次运行的图层吗?fid 字段相同吗?</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/accuracy_report.py" line="270" />
      <source>{0} reference fids have no feature with a class in the layer.</source>
      <translation>{0} 个参考 fid 在图层中没有带类别的要素。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/accuracy_report.py" line="290" />
      <source>Writing the report</source>
      <translation>正在写出报告</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/accuracy_report.py" line="294" />
      <source>Overall accuracy {0:.3f} ± {1:.3f} from {2} sample units.</source>
      <translation>总体精度 {0:.3f} ± {1:.3f},基于 {2} 个样本单元。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/base.py" line="41" />
      <source>1 Cut</source>
      <translation>1 切图</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/base.py" line="42" />
      <source>2 Classify</source>
      <translation>2 识别</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/base.py" line="43" />
      <source>3 Review and write</source>
      <translation>3 复核与回写</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/base.py" line="44" />
      <source>4 Audit</source>
      <translation>4 抽样审核</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/base.py" line="45" />
      <source>5 Assess</source>
      <translation>5 精度评价</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/base.py" line="46" />
      <source>6 Learn</source>
      <translation>6 训练样本</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="72" />
      <source>Classify chips</source>
      <translation>识别切片</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="75" />
      <source>Sends the chips of a chips index (made by 'Cut feature chips') to a vision-language model, BATCH_SIZE chips per request, and stores one class per fid in results.sqlite (with results.csv beside it).

Endpoints: the base URLs of the model servers, comma-separated (e.g. http://gpu1:11434, http://gpu2:11434); all of them work from one queue, a dead one is paused and its work goes to the others. Empty: the endpoints saved in the ChipVLM settings, with their API keys from QGIS's authentication database. MODEL, when given, replaces the model of every endpoint.

An answer is accepted only when its fids are exactly the batch's and every class is in the scheme; otherwise the batch is split and retried, and a chip that still fails gets class -1 (ERROR). The run resumes: a rerun classifies only the chips without a class (and, with RETRY_ERRORS, the errors). Cancel keeps every finished batch.

REVIEW_BELOW: every result whose confidence is under this value needs review (its reason is kept); 0 = off. The confidence is the probability of the chosen class among the scheme's classes, read from the token log-probabilities the server returns (Ollama 0.12.11 and later, vLLM, llama.cpp); a server that gives none leaves it empty and this option flags nothing.

REASONS: review (default) asks each batch for the class alone, then asks class and reason again, batched, only for the chips that go to review (class 0, a confidence under REVIEW_BELOW): the model writes a reason only where an analyst will read it, which costs a fraction of the GPU time. Only the reason of that second answer is kept; when it gives another class the chip stays in review and the reason says which. all: a class and a reason for every chip (as before); none: classes only. A run stopped between the two passes asks the missing reasons when run again.

REFERENCES: that many chips per class whose class an analyst confirmed (taken from REFERENCE_RESULTS, or from this run's own results, and the ones the scheme names) are shown to the model before every batch, as examples; they never become results. Each costs about 260 tokens of context in every request: a run whose endpoints' num_ctx is too small is refused before it starts, with the num_ctx it needs.

The CLASSIFIED, ERRORS and NEEDS_REVIEW outputs count the rows of the whole results file.</source>
      <translation>把切片索引(由 “切取要素切片” 生成)中的切片发送给视觉语言模型,每次请求 BATCH_SIZE 个切片,并在 results.sqlite 中为每个 fid 保存一个类别(旁边另存 results.csv)。

端点:模型服务器的基础 URL,用逗号分隔(例如 http://gpu1:11434, http://gpu2:11434);所有端点从同一个队列中领取任务,失效的端点会被暂停,其任务转给其他端点。留空:使用 ChipVLM 设置中保存的端点,API 密钥取自 QGIS 认证数据库。填写 MODEL 时,它会替换所有端点的模型。

只有当回答中的 fid 与该批次完全一致、且每个类别都在分类方案中时,回答才会被接受;否则把该批次拆分后重试,仍然失败的切片得到类别 -1(ERROR)。运行可以续跑:重新运行时只识别尚无类别的切片(勾选 RETRY_ERRORS 时也包括出错的切片)。取消时已完成的批次全部保留。

REVIEW_BELOW:置信度低于此值的结果需要复核(保留其理由);0 = 关闭。置信度是所选类别在分类方案各类别中的概率,取自服务器返回的词元对数概率(Ollama 0.12.11 及以上、vLLM、llama.cpp);不返回对数概率的服务器置信度为空,此选项不会标记任何结果。

REASONS:review(默认)先让每一批只回答类别,再把需要复核的切片(类别 0、置信度低于 REVIEW_BELOW)分批重新询问类别和理由:模型只在分析员会读的地方写理由,只需一小部分 GPU 时间。只保留第二次回答的理由;若第二次给出另一个类别,该切片仍待复核,理由中写明那个类别。all:每个切片都有类别和理由(与以前相同);none:只要类别。在两遍之间中断的运行,重新运行时会补问缺少的理由。

REFERENCES:每类取这么多张已由人工确认类别的切片(取自 REFERENCE_RESULTS,留空时取自本次运行自己的结果,另加分类方案中指定的参考样例),在每一批之前作为示例发给模型;它们永远不会成为结果。每张参考影像在每次请求中约占 260 个上下文 token:端点的 num_ctx 不够时,运行在开始前就会被拒绝,并给出所需的 num_ctx。

输出 CLASSIFIED、ERRORS 和 NEEDS_REVIEW 统计的是整个结果文件的行数。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="104" />
      <source>Open WebUI in front of Ollama: give http://host:3000/ollama (Ollama's own API through Open WebUI: temperature, context size and the rest all reach Ollama); http://host:3000/api is its OpenAI-compatible API. A key for typed endpoints: put it in an environment variable and give the variable's name in API_KEY_ENV.</source>
      <translation>Open WebUI 在 Ollama 前面时：请填 http://host:3000/ollama（经 Open WebUI 转发的 Ollama 原生 API：温度、上下文长度等设置都能送达 Ollama）；http://host:3000/api 是它的 OpenAI 兼容 API。手动填写的端点需要密钥时：把密钥放进一个环境变量，并在 API_KEY_ENV 中填写该变量的名称。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="113" />
      <location filename="../../plugin/processing/cut_chips.py" line="130" />
      <source>Chips index (chips_index.csv)</source>
      <translation>切片索引 (chips_index.csv)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="115" />
      <source>Chips index (*.csv);;All files (*)</source>
      <translation>切片索引 (*.csv);;所有文件 (*)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="117" />
      <source>Endpoints (comma-separated base URLs; empty = the saved endpoints)</source>
      <translation>端点(用逗号分隔的基础 URL;留空 = 已保存的端点)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="120" />
      <source>Model (empty = each saved endpoint's model, or {0})</source>
      <translation>模型(留空 = 各已保存端点自己的模型,或 {0})</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="124" />
      <source>Class scheme (a shipped one: {0}; or the path of a .json file)</source>
      <translation>分类方案(内置方案:{0};或 .json 文件的路径)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="127" />
      <source>Chips per request</source>
      <translation>每次请求的切片数</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="132" />
      <source>Review results whose confidence is below (0-1; 0 = off)</source>
      <translation>置信度低于此值的结果需复核(0-1;0 = 关闭)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="135" />
      <source>Reasons (review: only for the chips that go to review, asked after their class; all: for every chip; none: classes only)</source>
      <translation>理由(review:只为需要复核的切片,在类别之后补问;all:每个切片都要;none:只要类别)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="139" />
      <source>Only the first N chips still to do (0 = all)</source>
      <translation>只处理尚未完成的前 N 个切片(0 = 全部)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="142" />
      <source>Retry chips that ended as errors (-1) in an earlier run</source>
      <translation>重试之前运行中出错(-1)的切片</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="144" />
      <source>API of the endpoints given above (ollama: Ollama's native API; openai: OpenAI-compatible, as vLLM, llama.cpp, Open WebUI and URLs ending in /v1)</source>
      <translation>上面所填端点的 API(ollama:Ollama 原生 API;openai:OpenAI 兼容接口,如 vLLM、llama.cpp、Open WebUI 及以 /v1 结尾的 URL)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="148" />
      <source>Requests at once per endpoint given above</source>
      <translation>上面所填每个端点的并发请求数</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="151" />
      <source>Timeout per request, seconds (endpoints given above)</source>
      <translation>每次请求的超时,秒(上面所填端点)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="155" />
      <source>Environment variable holding the API key for the endpoints given above (its name, e.g. CHIPVLM_API_KEY; never the key itself)</source>
      <translation>保存上面所填端点 API 密钥的环境变量（填变量名，例如 CHIPVLM_API_KEY；不要填密钥本身）</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="159" />
      <source>Reference examples per class in each request (0 = none)</source>
      <translation>每次请求中每类的参考样例数(0 = 不用)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="163" />
      <source>Take the reference examples from (results.sqlite; empty = this run's results)</source>
      <translation>参考样例取自(results.sqlite;留空 = 本次运行的结果)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="173" />
      <source>Results file (empty = results.sqlite beside the chips index)</source>
      <translation>结果文件(留空 = 切片索引旁边的 results.sqlite)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="175" />
      <source>Results table (results.csv)</source>
      <translation>结果表 (results.csv)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="176" />
      <source>Chips with a class</source>
      <translation>已有类别的切片数</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="177" />
      <source>Chips that ended as errors</source>
      <translation>出错的切片数</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="178" />
      <source>Chips needing review</source>
      <translation>需复核的切片数</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="212" />
      <source>The user name and password written in an endpoint URL are neither used nor stored; give the API key through API_KEY_ENV (or a saved endpoint's authentication configuration).</source>
      <translation>写在端点 URL 里的用户名和密码既不会使用也不会保存；请通过 API_KEY_ENV（或已保存端点的认证配置）提供 API 密钥。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="227" />
      <source>No model given: asking for {0}.</source>
      <translation>未指定模型:请求使用 {0}。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="232" />
      <source>API_KEY_ENV is for the endpoints given in ENDPOINTS; the saved endpoints use their own authentication configurations.</source>
      <translation>API_KEY_ENV 只用于 ENDPOINTS 中填写的端点；已保存的端点使用各自的认证配置。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="238" />
      <source>Using the saved endpoints: {0}.</source>
      <translation>使用已保存的端点:{0}。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="245" />
      <source>API_KEY_ENV must be the name of an environment variable (letters, digits, _), not the key itself.</source>
      <translation>API_KEY_ENV 必须是环境变量的名称（字母、数字、_），而不是密钥本身。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="249" />
      <source>The environment variable {0} named by API_KEY_ENV is not set (or empty) for this QGIS process.</source>
      <translation>API_KEY_ENV 指定的环境变量 {0} 在本 QGIS 进程中未设置（或为空）。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="255" />
      <source>The key in the environment variable {0} has spaces or line breaks inside it; set it again (it is not shown here).</source>
      <translation>环境变量 {0} 中的密钥内部含有空格或换行；请重新设置（此处不显示密钥）。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="263" />
      <source>Choose the chips index (chips_index.csv) made by 'Cut feature chips'.</source>
      <translation>请选择由 “切取要素切片” 生成的切片索引(chips_index.csv)。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="276" />
      <source>Reading the chips index and checking the endpoints</source>
      <translation>正在读取切片索引并检查端点</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="291" />
      <source>results.sqlite beside the chips index</source>
      <translation>切片索引旁边的 results.sqlite</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="293" />
      <source>Cannot write the results file {0}: {1}</source>
      <translation>无法写入结果文件 {0}:{1}</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="299" />
      <source>Index rows without a chip (not sent): {0}.</source>
      <translation>索引中没有切片的行(未发送):{0}。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="316" />
      <source>The results so far are in {0}.</source>
      <translation>目前已有的结果保存在 {0} 中。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="331" />
      <source>cutting failed</source>
      <translation>切取失败</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="331" />
      <source>outside the raster</source>
      <translation>在栅格范围外</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="332" />
      <source>empty geometry</source>
      <translation>几何为空</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="338" />
      <source>reasons: {0}/{1} chips, {2:.1f} chips/min</source>
      <translation>补问理由:{0}/{1} 个切片,每分钟 {2:.1f} 个</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="341" />
      <source>{0}/{1} chips, {2:.1f} chips/min</source>
      <translation>{0}/{1} 个切片,每分钟 {2:.1f} 个</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="343" />
      <source>, about {0} left</source>
      <translation>,约剩 {0}</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="347" />
      <source>paused: {0}</source>
      <translation>已暂停:{0}</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="352" />
      <source>{0} chips classified, {1} errors, {2} to review in this run ({3}).</source>
      <translation>本次运行识别 {0} 个切片,失败 {1} 个,待复核 {2} 个(用时 {3})。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="355" />
      <source>Reasons pass: {0} chips to review asked for their reason, {1} reasons stored ({2} with another class, named in the reason).</source>
      <translation>补问理由:{0} 个待复核切片被补问理由,保存了 {1} 条理由(其中 {2} 条给出另一个类别,已写在理由中)。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="360" />
      <source>Results file: {0} classified, {1} errors, {2} needing review.</source>
      <translation>结果文件:已识别 {0} 个,失败 {1} 个,需复核 {2} 个。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/classify_chips.py" line="363" />
      <source>Canceled: run again to continue where it stopped.</source>
      <translation>已取消:再次运行即从中断处继续。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="69" />
      <source>Cut feature chips</source>
      <translation>切取要素切片</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="72" />
      <source>Cuts one CHIP_SIZE x CHIP_SIZE image per feature from the raster, centred on the centre of the feature's bounding box, with the object's outline drawn in red just outside it (corner marks around a tiny object) and the fid written top-left, and writes chips_index.csv beside the chips/ folder.

FRAMING: native shows CHIP_SIZE raster pixels whatever the object's size; auto (default) does the same unless the object and its context do not fit, then shows more ground, shrunk to the chip; fit always makes the object and its context fill the chip, magnifying small objects up to MAX_ZOOM times. CONTEXT is the margin on each side, as a share of the object's size (at least 5 m).

Runs in parallel and resumes: with OVERWRITE off, a rerun skips the chips already cut. Features outside the raster, without geometry or that cannot be read get a row with a status and a message instead of a chip. Imagery that is not 8-bit is stretched once for the whole raster (2-98 percentiles).</source>
      <translation>为每个要素从栅格中切出一张 CHIP_SIZE x CHIP_SIZE 的图像，以要素外包框的中心为中心，在对象外侧紧贴其边界用红色绘制轮廓（极小的对象则在四周画角标），左上角写出 fid，并在 chips/ 文件夹旁写出 chips_index.csv。

FRAMING（取景）：native 无论对象大小都显示 CHIP_SIZE 个栅格像素；auto（默认）同样如此，除非对象及其周边放不下，这时显示更大范围并缩小到切片尺寸；fit 总是让对象及其周边充满切片，小对象最多放大 MAX_ZOOM 倍。CONTEXT 是每侧的边距，按对象尺寸的比例计算（至少 5 米）。

并行运行并可续跑：OVERWRITE 关闭时，再次运行会跳过已切出的切片。位于栅格之外、没有几何或无法读取的要素会得到一行状态和说明，而不是切片。非 8 位影像会对整幅栅格统一拉伸一次（2-98 百分位）。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="90" />
      <source>Objects (vector layer)</source>
      <translation>对象(矢量图层)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="91" />
      <source>Imagery (raster)</source>
      <translation>影像(栅格)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="93" />
      <location filename="../../plugin/processing/write_classes.py" line="90" />
      <source>Fid field (empty = feature id)</source>
      <translation>fid 字段(留空 = 要素 ID)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="96" />
      <source>Chip size (pixels)</source>
      <translation>切片尺寸(像素)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="98" />
      <source>Image format</source>
      <translation>图像格式</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="100" />
      <source>Bands (e.g. 1,2,3 or 4; empty = first three)</source>
      <translation>波段(如 1,2,3 或 4;留空 = 前三个波段)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="102" />
      <source>Framing (native: raster resolution; auto: shrink objects that do not fit; fit: object fills the chip)</source>
      <translation>取景（native：栅格原分辨率；auto：缩小放不下的对象；fit：对象充满切片）</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="106" />
      <source>Context around the object (share of its size on each side)</source>
      <translation>对象周边范围（每侧占对象尺寸的比例）</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="109" />
      <source>Largest magnification in fit framing (times the raster resolution)</source>
      <translation>fit 取景的最大放大倍数（相对栅格分辨率）</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="112" />
      <source>Build overviews first when the raster has none (an .ovr file beside it; the raster itself is not changed)</source>
      <translation>栅格没有金字塔时先构建金字塔（在其旁边生成 .ovr 文件；不改动栅格本身）</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="115" />
      <location filename="../../plugin/processing/second_opinion.py" line="103" />
      <source>Workers (0 = one per CPU core)</source>
      <translation>工作线程数(0 = 每个 CPU 核一个)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="118" />
      <source>Chips in flight at most (0 = 8 per worker)</source>
      <translation>同时处理的切片上限(0 = 每个工作线程 8 个)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="125" />
      <source>Only the first N features (0 = all)</source>
      <translation>只处理前 N 个要素(0 = 全部)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="128" />
      <source>Overwrite (off = resume, skipping chips already cut)</source>
      <translation>覆盖(关闭 = 断点续跑,跳过已切好的切片)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="129" />
      <source>Run folder</source>
      <translation>运行文件夹</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="131" />
      <source>Number of chips</source>
      <translation>切片数量</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="137" />
      <source>The layer has no field named '{}'.</source>
      <translation>图层中没有名为 '{}' 的字段。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="146" />
      <source>The raster could not be loaded: check that the file exists and GDAL can read it.</source>
      <translation>无法加载栅格:请检查文件是否存在、GDAL 能否读取。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="150" />
      <source>The raster '{}' is not a file read by GDAL (it comes from the '{}' provider): save it as a GeoTIFF first.</source>
      <translation>栅格 '{}' 不是 GDAL 读取的文件(它来自 '{}' 数据提供者):请先另存为 GeoTIFF。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="178" />
      <source>The layer or the raster has no coordinate reference system: their coordinates are taken to be the same.</source>
      <translation>图层或栅格没有坐标参考系:按两者坐标相同处理。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="183" />
      <source>Reprojecting the features from {} to the raster's {}.</source>
      <translation>正在把要素从 {} 重投影到栅格的 {}。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="205" />
      <source>Turn BUILD_OVERVIEWS on to build overviews once beside the raster ({}.ovr; the raster itself is not changed): shrunk windows are then read through them, in this run and the next.</source>
      <translation>打开 BUILD_OVERVIEWS 可在栅格旁一次性构建金字塔（{}.ovr；不改动栅格本身）：之后本次及以后的运行都会通过金字塔读取需缩小的窗口。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="208" />
      <source>{} chips cut, {} already there, {} outside the raster, {} without geometry, {} failed, in {:.1f} s.</source>
      <translation>已切取 {} 个切片,{} 个已存在,{} 个在栅格之外,{} 个没有几何,{} 个失败,用时 {:.1f} 秒。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="213" />
      <source>Canceled: the index holds every chip finished so far; run again to resume.</source>
      <translation>已取消:索引中保留了目前已完成的所有切片;重新运行即可继续。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="224" />
      <source>Outside the raster (no chip): fid {} and {} more.</source>
      <translation>在影像范围之外(未生成切片):fid {},另有 {} 个。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="225" />
      <source>Outside the raster (no chip): fid {}.</source>
      <translation>在影像范围之外(未生成切片):fid {}。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="228" />
      <source>{} chips show an object smaller than {:g} raster pixels across: the imagery can hardly show what it is (small_object = 1 in the index; the review can list them).</source>
      <translation>{} 张切片中的对象小于 {:g} 个影像像元:影像难以显示它是什么(索引中 small_object = 1;复核时可单独列出)。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="243" />
      <source>GDAL cannot read the raster '{}'.</source>
      <translation>GDAL 无法读取栅格“{}”。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="245" />
      <source>The raster already has overviews: none built.</source>
      <translation>该栅格已有金字塔：不再构建。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="253" />
      <source>Building overviews beside the raster ({}.ovr, levels {})...</source>
      <translation>正在栅格旁构建金字塔（{}.ovr，级别 {}）……</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="261" />
      <source>Building overviews: {}%</source>
      <translation>正在构建金字塔：{}%</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="268" />
      <source>GDAL could not build overviews for '{}': {}</source>
      <translation>GDAL 无法为“{}”构建金字塔：{}</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="271" />
      <source>Overviews built in {:.1f} s ({:.0f} MiB): {}.ovr.</source>
      <translation>金字塔已在 {:.1f} 秒内构建完成（{:.0f} MiB）：{}.ovr。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="299" />
      <source>Feature {0} gets no chip: {1}</source>
      <translation>要素 {0} 未切图:{1}</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/cut_chips.py" line="302" />
      <source>Feature {0} gets no chip: its {1} is empty.</source>
      <translation>要素 {0} 未切图:其 {1} 为空。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/draw_sample.py" line="33" />
      <source>Draw audit sample</source>
      <translation>抽取核查样本</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/draw_sample.py" line="36" />
      <source>Draws a stratified random sample of a run's results for a blind audit: the strata are the final classes (the reviewed class where an analyst decided, else the model's; ERROR results are not sampled). The same seed on the same results draws the same sample.

Size: empty = computed from the target standard error of overall accuracy (Olofsson et al. 2014, eq. 13) and each class's expected user's accuracy (the model's mean confidence in the class when the server gave one, kept between 0.5 and 0.95; else 0.85, or 0.7 for a class under 10% of the objects); a number = that total; 1=75, 2=100 = per class. Every class gets at least the minimum per class (or all its objects when it has fewer); the rest is shared in proportion to the classes' sizes.

The sample and its design are stored in results.sqlite; the analyst decides the sampled chips in the review dock's Audit filter, without seeing the model's answer. A sample that already has reference decisions is not replaced unless 'Replace' is set.

The output CSV lists the sample: fid, stratum_class_id, chip_path.</source>
      <translation>从一次运行的结果中抽取分层随机样本,用于盲核查:分层为最终类别(分析员已判定的用复核类别,否则用模型类别;ERROR 结果不抽样)。相同的种子在相同结果上抽出相同的样本。

样本量:留空 = 根据总体精度的目标标准误差(Olofsson 等 2014,公式 13)和各类预期用户精度计算(服务器提供置信度时用模型在该类的平均置信度,限制在 0.5 到 0.95 之间;否则为 0.85,占对象不足 10% 的类别为 0.7);一个数字 = 总样本量;1=75, 2=100 = 按类别指定。每个类别至少抽取每类最少样本数(类别对象更少时全部抽取);其余按各类大小按比例分配。

样本及其设计保存在 results.sqlite 中;分析员在复核面板的“核查”筛选中判定抽样图片,看不到模型的答案。已有参考判定的样本不会被替换,除非勾选“替换”。

输出 CSV 列出样本:fid, stratum_class_id, chip_path。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/draw_sample.py" line="54" />
      <location filename="../../plugin/processing/write_classes.py" line="82" />
      <source>Results (results.sqlite)</source>
      <translation>结果文件 (results.sqlite)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/draw_sample.py" line="57" />
      <source>Sample size (empty = from the target standard error; a total; or 1=75, 2=100)</source>
      <translation>样本量(留空 = 按目标标准误差计算;总数;或 1=75, 2=100)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/draw_sample.py" line="60" />
      <source>Target standard error of overall accuracy</source>
      <translation>总体精度的目标标准误差</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/draw_sample.py" line="63" />
      <source>Minimum sample units per class (or all of a smaller class)</source>
      <translation>每类最少样本数(类别更小时全部抽取)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/draw_sample.py" line="66" />
      <source>Random seed</source>
      <translation>随机种子</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/draw_sample.py" line="68" />
      <source>Replace a sample that already has reference decisions</source>
      <translation>替换已有参考判定的样本</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/draw_sample.py" line="72" />
      <source>Audit sample (CSV)</source>
      <translation>核查样本(CSV)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/draw_sample.py" line="74" />
      <source>Sample units drawn</source>
      <translation>抽取的样本单元数</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/draw_sample.py" line="85" />
      <source>Choose the results file (results.sqlite) of a run.</source>
      <translation>请选择一次运行的结果文件(results.sqlite)。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/draw_sample.py" line="86" />
      <source>Drawing the audit sample of {0}</source>
      <translation>正在抽取 {0} 的核查样本</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/draw_sample.py" line="91" />
      <source>the model's mean confidence</source>
      <translation>模型的平均置信度</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/draw_sample.py" line="92" />
      <source>the default for a common class</source>
      <translation>常见类别的默认值</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/draw_sample.py" line="93" />
      <source>the default for a rare class</source>
      <translation>稀有类别的默认值</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/draw_sample.py" line="96" />
      <source>Class {0} {1}: {2} of {3} objects sampled</source>
      <translation>类别 {0} {1}:{3} 个对象中抽取 {2} 个</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/draw_sample.py" line="98" />
      <source> (expected user's accuracy {0:.2f}, from {1})</source>
      <translation>(预期用户精度 {0:.2f},依据:{1})</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/draw_sample.py" line="101" />
      <source>{0} sample units drawn (seed {1}); decide them in the review dock's Audit filter.</source>
      <translation>已抽取 {0} 个样本单元(种子 {1});请在复核面板的“核查”筛选中判定。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/export_training_set.py" line="46" />
      <source>Export training set</source>
      <translation>导出训练集</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/export_training_set.py" line="49" />
      <source>Writes the chips an analyst reviewed as a training set for an image classifier: one folder per class (folders), a COCO-style JSON (coco) or a manifest (csv), split into train and val, stratified by class and the same for the same SEED. With 'reviewed+confident' the model's own class is added where its confidence is at least MIN_CONFIDENCE, marked as such. Classes -1 and 0 are never exported. The audit sample is left out: it is kept for assessing accuracy. INCLUDE_AUDIT puts it in, its reference classes winning over reviews.

Every manifest row or COCO image has the class id and name, the fid, where the label came from and the chip's window on the raster; README.txt counts the chips per class and split. Chips are hard-linked (same disk) or copied, never moved. CLEAN cuts the chips again from the raster without the red outline and the fid label. A rerun writes only what changed; a chip whose decision changed moves to its new class folder.</source>
      <translation>把分析员复核过的切片导出为图像分类器的训练集:每类一个文件夹(folders)、COCO 风格的 JSON(coco)或清单(csv),划分为训练集和验证集,按类别分层,相同的 SEED 得到相同的划分。选择 'reviewed+confident' 时,还会加入置信度不低于 MIN_CONFIDENCE 的模型类别,并如实标明。类别 -1 和 0 从不导出。审核样本不导出:它留作精度评估。INCLUDE_AUDIT 可将其纳入,其参考类别优先于复核。

清单的每一行或每个 COCO 图像都包含类别编号和名称、fid、标签来源以及切片在栅格上的窗口;README.txt 统计各类别、各划分的切片数。切片以硬链接(同一磁盘)或复制的方式导出,从不移动。CLEAN 从栅格重新裁切切片,不带红色轮廓和 fid 标注。重新运行只写入有变化的部分;决定改变的切片会移到新的类别文件夹。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/export_training_set.py" line="65" />
      <location filename="../../plugin/processing/second_opinion.py" line="78" />
      <source>Results file (results.sqlite)</source>
      <translation>结果文件(results.sqlite)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/export_training_set.py" line="69" />
      <source>Labels (reviewed: the analyst's decisions; reviewed+confident: also the model's classes at or above the lowest confidence)</source>
      <translation>标签(reviewed:分析员的决定;reviewed+confident:另加置信度不低于下限的模型类别)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/export_training_set.py" line="72" />
      <source>Lowest confidence of a model class (with 'confident')</source>
      <translation>模型类别的最低置信度(选择高置信度时)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/export_training_set.py" line="75" />
      <source>Include the audit sample (kept for assessing accuracy otherwise)</source>
      <translation>包含审核样本(否则留作精度评估)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/export_training_set.py" line="78" />
      <source>Share of each class for validation</source>
      <translation>每类用于验证的比例</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/export_training_set.py" line="81" />
      <source>Seed of the split</source>
      <translation>划分的随机种子</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/export_training_set.py" line="84" />
      <source>Format (folders: one folder per class; coco: COCO JSON; csv: a manifest)</source>
      <translation>格式(folders:每类一个文件夹;coco:COCO JSON;csv:清单文件)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/export_training_set.py" line="87" />
      <source>Clean chips (cut again from the raster, without outline and label)</source>
      <translation>干净切片(从栅格重新切取,不带边界和标注)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/export_training_set.py" line="89" />
      <source>Raster for clean chips (empty = the one recorded in run.json)</source>
      <translation>干净切片所用栅格(留空 = run.json 中记录的栅格)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/export_training_set.py" line="93" />
      <source>Training set folder</source>
      <translation>训练集文件夹</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/export_training_set.py" line="94" />
      <source>Chips in the training set</source>
      <translation>训练集中的切片数</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/export_training_set.py" line="95" />
      <source>Chips for training</source>
      <translation>训练切片数</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/export_training_set.py" line="96" />
      <source>Chips for validation</source>
      <translation>验证切片数</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/export_training_set.py" line="101" />
      <source>Choose the run's results.sqlite.</source>
      <translation>请选择本次运行的 results.sqlite。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/export_training_set.py" line="124" />
      <source>Cannot write the training set to {0}: {1}</source>
      <translation>无法把训练集写入 {0}:{1}</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/export_training_set.py" line="128" />
      <source>Canceled: run again to finish the export.</source>
      <translation>已取消:重新运行即可完成导出。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/merge_results.py" line="36" />
      <source>Merge results</source>
      <translation>合并结果</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/merge_results.py" line="39" />
      <source>Merges results files (results.sqlite or results.csv) made by other runs or on other machines into one file, by fid. An analyst's reviewed class beats a model's class, a real class beats 0 (cannot tell), which beats -1 (ERROR). Where two inputs give different classes at the same level, the most recent one is kept, flagged for review, and the conflict is listed in the log. Only results made with the same class scheme can be merged.

The output is a results.sqlite (with a .csv of the same name beside it) or a .csv.</source>
      <translation>按 fid 把其他运行或其他机器产生的结果文件(results.sqlite 或 results.csv)合并为一个文件。分析人员复核的类别优先于模型的类别,实际类别优先于 0(无法判断),0 又优先于 -1(ERROR)。若两个输入在同一级别给出不同的类别,则保留最新的那个并标记为待复核,冲突会列在日志中。只有使用同一分类方案得到的结果才能合并。

输出为 results.sqlite(旁边另有同名的 .csv)或 .csv 文件。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/merge_results.py" line="50" />
      <source>Results files (.sqlite or .csv)</source>
      <translation>结果文件(.sqlite 或 .csv)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/merge_results.py" line="52" />
      <source>Merged results</source>
      <translation>合并后的结果</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/merge_results.py" line="52" />
      <source>Results (*.sqlite);;CSV (*.csv)</source>
      <translation>结果文件 (*.sqlite);;CSV (*.csv)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/merge_results.py" line="53" />
      <source>Merged results table (.csv)</source>
      <translation>合并后的结果表(.csv)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/merge_results.py" line="54" />
      <source>Fids in the merged results</source>
      <translation>合并结果中的 fid 数</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/merge_results.py" line="55" />
      <source>Conflicts (flagged for review)</source>
      <translation>冲突数(已标记为待复核)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/merge_results.py" line="61" />
      <source>Choose the results files to merge.</source>
      <translation>请选择要合并的结果文件。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/merge_results.py" line="64" />
      <source>The merged results must be a .sqlite or a .csv file, not {0}.</source>
      <translation>合并结果必须是 .sqlite 或 .csv 文件,而不是 {0}。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/merge_results.py" line="65" />
      <source>Merging {0} results files</source>
      <translation>正在合并 {0} 个结果文件</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/merge_results.py" line="75" />
      <source>{0}: {1} rows</source>
      <translation>{0}:{1} 行</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/merge_results.py" line="77" />
      <source>Conflict: {0}</source>
      <translation>冲突:{0}</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/merge_results.py" line="79" />
      <source>... and {0} more conflicts, all flagged for review.</source>
      <translation>……另有 {0} 处冲突,均已标记为待复核。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/second_opinion.py" line="55" />
      <source>Trains a light classifier (scikit-learn's random forest, class-weighted) on the analyst's decisions and gives every object a second opinion: second_class_id, second_confidence and agrees in results.sqlite and results.csv, and in OUTPUT_TABLE (fid, the model's class_id, second_class_id, second_confidence, agrees).

Each object is described by the pixels of RASTER inside its polygon (per band: mean, standard deviation, 10th, 50th and 90th percentiles), its shape (area, perimeter, compactness, elongation), the model's class and confidence, and with EMBEDDINGS (a raster of per-pixel embeddings, any resolution and CRS) the mean of each embedding band. The layer, fid field and raster default to the run's (run.json). Features are kept beside the results: a rerun after more decisions only trains again.

CV_ACCURACY is the second opinion's k-fold accuracy on the decisions, MODEL_ACCURACY the model's on the same decisions; the HTML page compares them per class and lists the confusions the second opinion corrects. The audit sample is left out (so the accuracy report stays unbiased) unless USE_AUDIT. APPLY_ABOVE (0 = off) gives an object without a decision the second opinion's class where the second opinion is at least that sure and the model is not (a result without a confidence counts as not sure); model_class_id keeps the model's class, and a rerun puts it back first. REVIEW_DISAGREEMENTS (0 = off) sends to review the disagreements at least that sure. An analyst's decision is never changed.</source>
      <translation>用分析员的决定训练一个轻量分类器(scikit-learn 的随机森林,按类别加权),为每个对象给出第二意见:写入 results.sqlite 和 results.csv 的 second_class_id、second_confidence 和 agrees,以及 OUTPUT_TABLE(fid、模型的 class_id、second_class_id、second_confidence、agrees)。

每个对象由多边形内 RASTER 的像元(每个波段:均值、标准差、第 10、50、90 百分位数)、形状(面积、周长、紧凑度、伸长度)、模型的类别和置信度描述;给出 EMBEDDINGS(逐像元嵌入栅格,分辨率和坐标系不限)时再加上每个嵌入波段的均值。图层、fid 字段和栅格默认取自该运行的 run.json。特征保存在结果旁:有了更多决定后再运行只会重新训练。

CV_ACCURACY 是第二意见在决定上的 k 折精度,MODEL_ACCURACY 是模型在同样决定上的精度;HTML 页面按类别比较两者,并列出第二意见纠正的混淆。除非勾选 USE_AUDIT,审核样本不参与训练(精度报告因此保持无偏)。APPLY_ABOVE(0 = 关闭):对没有决定的对象,当第二意见的置信度不低于此值而模型不是(没有置信度的结果视为不确定)时,采用第二意见的类别;model_class_id 保留模型的类别,再次运行时先恢复它。REVIEW_DISAGREEMENTS(0 = 关闭)把置信度不低于此值的不一致对象送去复核。分析员的决定永远不会被改动。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/second_opinion.py" line="82" />
      <source>Objects (empty = the layer recorded in run.json)</source>
      <translation>对象(留空 = run.json 中记录的图层)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/second_opinion.py" line="88" />
      <source>Imagery (empty = the raster recorded in run.json)</source>
      <translation>影像(留空 = run.json 中记录的栅格)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/second_opinion.py" line="90" />
      <source>Embeddings raster (optional: one band per embedding dimension)</source>
      <translation>嵌入栅格(可选:每个嵌入维度一个波段)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/second_opinion.py" line="92" />
      <source>Apply the second opinion where it is at least this sure and the model is not (0 = off)</source>
      <translation>第二意见置信度不低于此值且模型不确定时采用第二意见(0 = 关闭)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/second_opinion.py" line="97" />
      <source>Send disagreements at least this sure to review (0 = off)</source>
      <translation>将置信度不低于此值的不一致对象送去复核(0 = 关闭)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/second_opinion.py" line="100" />
      <source>Also learn from the audit sample (the accuracy report is then biased)</source>
      <translation>也从审核样本学习(精度报告将因此有偏)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/second_opinion.py" line="110" />
      <source>Second opinion table (CSV)</source>
      <translation>第二意见表(CSV)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/second_opinion.py" line="112" />
      <source>Second opinion page (HTML)</source>
      <translation>第二意见页面(HTML)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/second_opinion.py" line="113" />
      <source>Second opinion's k-fold accuracy</source>
      <translation>第二意见的 k 折精度</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/second_opinion.py" line="114" />
      <source>Model's accuracy on the decisions</source>
      <translation>模型在决定上的精度</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/second_opinion.py" line="115" />
      <source>Objects where they differ</source>
      <translation>两者不一致的对象数</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/second_opinion.py" line="125" />
      <source>The raster {0} could not be loaded: check that the file exists and GDAL can read it.</source>
      <translation>无法加载栅格 {0}:请检查文件是否存在以及 GDAL 能否读取。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/second_opinion.py" line="129" />
      <source>The raster '{0}' is not a file read by GDAL: save it as a GeoTIFF first.</source>
      <translation>栅格“{0}”不是 GDAL 读取的文件:请先另存为 GeoTIFF。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/second_opinion.py" line="138" />
      <source>The layer recorded in run.json ({0}) cannot be opened: choose the objects' layer as INPUT.</source>
      <translation>无法打开 run.json 中记录的图层({0}):请将对象图层选为 INPUT。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/second_opinion.py" line="142" />
      <source>Choose the objects' layer as INPUT (the run has no run.json naming it).</source>
      <translation>请将对象图层选为 INPUT(该运行没有记录图层的 run.json)。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/second_opinion.py" line="146" />
      <source>The layer has no field named '{0}'.</source>
      <translation>图层没有名为“{0}”的字段。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/second_opinion.py" line="153" />
      <source>Choose the run's results.sqlite (not found: {0}).</source>
      <translation>请选择该运行的 results.sqlite(未找到:{0})。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/second_opinion.py" line="158" />
      <source>Choose the imagery as RASTER (run.json of {0} names none).</source>
      <translation>请将影像选为 RASTER({0} 的 run.json 未记录栅格)。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/second_opinion.py" line="176" />
      <source>Features: {0} computed, {1} already cached, {2} without features, in {3:.1f} s ({4}).</source>
      <translation>特征:计算 {0} 个,已缓存 {1} 个,无特征 {2} 个,用时 {3:.1f} 秒({4})。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/second_opinion.py" line="180" />
      <source>Canceled: the features computed so far are kept; run again to go on.</source>
      <translation>已取消:已计算的特征会保留;再次运行即可继续。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/second_opinion.py" line="189" />
      <source>Canceled before the second opinion was written: results.sqlite is unchanged.</source>
      <translation>在写入第二意见之前已取消:results.sqlite 未改变。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/second_opinion.py" line="194" />
      <source>Trained on {0} decisions in {1:.1f} s: the second opinion is right on {2:.1%} of them (k-fold), the model on {3:.1%}. It differs from the model on {4} objects; {5} took its class (APPLY_ABOVE), {6} were sent to review.</source>
      <translation>用 {0} 个决定训练,用时 {1:.1f} 秒:第二意见在其中正确率 {2:.1%}(k 折),模型为 {3:.1%}。第二意见与模型在 {4} 个对象上不一致;{5} 个采用了它的类别(APPLY_ABOVE),{6} 个已送去复核。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/write_classes.py" line="55" />
      <source>Writes the final class of every result of a run into the vector layer the chips were cut from: the reviewed class where an analyst decided, else the model's class. Three fields get it: the class id (whole number), the class name (text) and 'review' (reviewed, to_review, error or model); they are created when missing. In place, a layer in edit mode gets the values in its edit buffer as one undoable edit command (save its edits to keep them); a layer not in edit mode is written and saved directly. Otherwise a copy of the layer with these fields is written to the output. Results are matched by the fid field the chips were cut with (empty = feature id, or the fid field recorded in the run's run.json). A run that has a run.json refuses another fid field than the one its chips were cut with, and a layer in which fewer than half of its results' fids are found.</source>
      <translation>把某次运行每条结果的最终类别写入切片所来自的矢量图层:有人工复核的用复核类别,否则用模型类别。写入三个字段:类别编号(整数)、类别名称(文本)和 'review'(reviewed、to_review、error 或 model);字段不存在时自动创建。直接写入时,处于编辑状态的图层把这些值放入编辑缓冲区,作为一条可撤销的编辑命令(保存编辑后才会生效);不在编辑状态的图层直接写入并保存。否则把带有这些字段的图层副本写到输出。结果按切片时使用的 fid 字段匹配(留空 = 要素 ID,或运行的 run.json 中记录的 fid 字段)。有 run.json 的运行拒绝使用与切片时不同的 fid 字段,也拒绝其结果的 fid 不到一半能找到要素的图层。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/write_classes.py" line="76" />
      <source>Vector layer</source>
      <translation>矢量图层</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/write_classes.py" line="99" />
      <source>Class name field</source>
      <translation>类别名称字段</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/write_classes.py" line="103" />
      <source>Write into the input layer itself</source>
      <translation>直接写入输入图层</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/write_classes.py" line="109" />
      <source>Layer with classes (not used when writing in place)</source>
      <translation>带类别的图层(原地写入时不使用)</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/write_classes.py" line="115" />
      <source>Features that got a class</source>
      <translation>已写入类别的要素数</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/write_classes.py" line="117" />
      <source>Results without a feature in the layer</source>
      <translation>图层中找不到要素的结果数</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/write_classes.py" line="126" />
      <location filename="../../plugin/processing/write_classes.py" line="178" />
      <source>Choose an output layer, or write into the input layer itself (IN_PLACE).</source>
      <translation>请选择输出图层,或直接写入输入图层(IN_PLACE)。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/write_classes.py" line="139" />
      <source>Reading the final classes of {0}</source>
      <translation>正在读取 {0} 的最终类别</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/write_classes.py" line="141" />
      <source>{0} results read.</source>
      <translation>已读取 {0} 条结果。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/write_classes.py" line="188" />
      <source>{0} features got a class.</source>
      <translation>{0} 个要素已写入类别。</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/write_classes.py" line="191" />
      <source>{0} results have no feature in layer '{1}': is it the layer the chips were cut from, with the same fid field?</source>
      <translation>{0} 条结果在图层 '{1}' 中找不到要素:这是切片所来自的图层吗?fid 字段是否相同?</translation>
    </message>
    <message>
      <location filename="../../plugin/processing/write_classes.py" line="223" />
      <source>Feature {0} could not be written: {1}</source>
      <translation>无法写入要素 {0}:{1}</translation>
    </message>
    <message>
      <location filename="../../plugin/settings.py" line="161" />
      <source>Endpoint {0}: {1}</source>
      <translation>端点 {0}:{1}</translation>
    </message>
  </context>
</TS>
